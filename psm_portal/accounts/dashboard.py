"""What each role finds in the reserved area, declared in one place.

A link whose page does not exist yet is dropped; a section left with no link says
when it will open instead of disappearing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from psm_portal.accounts.models import Role


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    roles: tuple[str, ...]
    links: tuple[tuple, ...] = field(default_factory=tuple)  # (label, url name[, url args])
    pending: str = ""  # shown only while none of the links exists yet


SECTIONS = [
    Section(
        _("Utenti e inviti"),
        _("Crea gli account del personale, dei sindaci, dei consiglieri e degli stakeholder e invia gli inviti."),
        (Role.TEAM,),
        ((_("Elenco utenti"), "accounts:users"), (_("Invita un utente"), "accounts:invite")),
    ),
    Section(
        _("Fasi del processo"),
        _("Apri, chiudi o proroga le fasi del piano."),
        (Role.TEAM,),
        ((_("Gestisci le fasi"), "phases:manage"),),
    ),
    Section(
        _("Visione e obiettivi"),
        _("Scrivi la Visione, l'albero degli obiettivi e apri la consultazione."),
        (Role.TEAM,),
        ((_("Visione e obiettivi"), "phases:manage_vision"), (_("Copertura della consultazione"), "phases:coverage")),
    ),
    Section(
        _("La tua posizione sulla Visione"),
        _("Leggi la Visione e gli obiettivi e dai la posizione del tuo comune o del tuo ufficio."),
        (Role.MAYOR, Role.OFFICE),
        ((_("Dai la tua posizione"), "phases:my_positions"),),
    ),
    Section(
        _("Istanze del comune"),
        _("Invia i bisogni del tuo comune, leggi le risposte del team PSM e a cosa hanno portato."),
        (Role.MAYOR,),
        (
            (_("Le istanze del comune"), "phases:needs"),
            (_("Cosa è successo alle nostre istanze e proposte"), "outcomes:mine"),
        ),
    ),
    Section(
        _("Istanze dei comuni"),
        _("Leggi, classifica e rispondi alle istanze dei comuni."),
        (Role.TEAM,),
        ((_("Istanze ricevute"), "phases:needs_review"),),
    ),
    Section(
        _("Parco progettuale"),
        _("Carica i progetti del tuo ufficio, anche da un foglio di calcolo, e pubblicali."),
        (Role.OFFICE, Role.TEAM),
        ((_("Progetti dell'ufficio"), "projects:office_projects"), (_("Importa da file"), "projects:import")),
    ),
    Section(
        _("Agenda annuale delle azioni"),
        _("Prepara le azioni che danno attuazione ai progetti; il team compone l'agenda e la sottopone al Consiglio."),
        (Role.OFFICE, Role.TEAM),
        ((_("Agenda annuale"), "projects:agenda_list"),),
    ),
    Section(
        _("Attuazione del piano"),
        _("Rendiconta l'avanzamento di progetti e azioni nei cicli fissati dal team; il team valida le rilevazioni."),
        (Role.OFFICE, Role.TEAM),
        ((_("Rendicontazione"), "implementation:office"), (_("Avanzamento pubblico"), "implementation:progress")),
    ),
    Section(
        _("Modello di governance"),
        _("Scrivi il modello di governance dell'attuazione, aprilo alle posizioni di uffici e sindaci e adottalo."),
        (Role.TEAM,),
        ((_("Versioni del modello di governance"), "implementation:governance_manage"),),
    ),
    Section(
        _("La tua posizione sul modello di governance"),
        _(
            "Leggi il modello di governance dell'attuazione e, quando è aperto alla consultazione, dai la posizione del "
            "tuo comune o del tuo ufficio."
        ),
        (Role.MAYOR, Role.OFFICE),
        ((_("Dai la tua posizione"), "implementation:governance_position"),),
    ),
    Section(
        _("La tua posizione sugli scenari di sviluppo"),
        _(
            "Leggi gli scenari di sviluppo del territorio e, quando sono aperti alla consultazione, dai la posizione "
            "del tuo comune o del tuo ufficio."
        ),
        (Role.MAYOR, Role.OFFICE),
        ((_("Posizione sugli scenari"), "vocations:scenario_position"),),
    ),
    Section(
        _("Proposte di progetto"),
        _("Proponi progetti per il tuo comune o per il territorio."),
        (Role.MAYOR, Role.STAKEHOLDER, Role.TEAM),
        ((_("Proposte"), "projects:proposals"),),
    ),
    Section(
        _("Questionario ai cittadini"),
        _("Prepara il questionario, promuovilo con link, QR code e locandina, segui le risposte."),
        (Role.TEAM,),
        ((_("Questionari"), "surveys:manage"),),
    ),
    Section(
        _("Questionario ai cittadini"),
        _("Promuovi il questionario con link, QR code e locandina e segui quante risposte arrivano."),
        (Role.OFFICE,),
        ((_("Questionari"), "surveys:manage"),),
    ),
    Section(
        _("Documenti del piano"),
        _("Proposta preliminare e piano finale in PDF."),
        (Role.TEAM, Role.COUNCIL, Role.SECRETARY, Role.MAYOR, Role.OFFICE),
        ((_("Documenti del piano"), "plan:manage"),),
    ),
    Section(
        _("Approvazione del piano"),
        _("Esamina e approva il piano finale e l'agenda annuale delle azioni."),
        (Role.COUNCIL,),
        ((_("Piano da approvare"), "plan:council"), (_("Emendamenti"), "plan:amendments")),
    ),
    Section(
        _("Atti del Consiglio metropolitano"),
        _("Registra l'ammissibilità e il voto degli emendamenti e la delibera che approva il piano."),
        (Role.SECRETARY, Role.TEAM),
        ((_("Piano all'esame del Consiglio"), "plan:council"), (_("Emendamenti"), "plan:amendments")),
    ),
    Section(
        _("Vocazioni e scenari"),
        _("Apri e chiudi le consultazioni sulle vocazioni, segui chi ha risposto, pubblica le priorità e gli scenari."),
        (Role.TEAM,),
        ((_("Vocazioni e scenari"), "vocations:manage"), (_("Vocazioni del territorio"), "vocations:list")),
    ),
    Section(
        _("Vocazioni del territorio"),
        _("Valuta le vocazioni del territorio e indica le priorità, mentre la consultazione è aperta."),
        (Role.MAYOR, Role.OFFICE, Role.STAKEHOLDER),
        ((_("Rispondi sulle vocazioni"), "vocations:answer"), (_("Vocazioni del territorio"), "vocations:list")),
    ),
    Section(
        _("Tavoli di lavoro"),
        _("Partecipa ai tavoli tematici con sindaci, uffici e stakeholder: sedute, inviti, verbali e contributi."),
        (Role.STAKEHOLDER, Role.MAYOR, Role.OFFICE, Role.TEAM),
        ((_("I tuoi tavoli"), "tables:home"), (_("Tavoli pubblici"), "tables:index")),
    ),
    Section(
        _("Notizie"),
        _("Scrivi e pubblica le notizie del piano: compaiono su /notizie/, nel feed e nelle e-mail agli iscritti."),
        (Role.TEAM,),
        ((_("Gestisci le notizie"), "news:manage"),),
    ),
    Section(
        _("Aggiornamenti per e-mail"),
        _("Ricevi ogni settimana per e-mail le notizie e gli aggiornamenti delle tue aree."),
        tuple(Role.values),
        ((_("Aggiornamenti per e-mail"), "subscriptions:mine"),),
    ),
    Section(
        _("Pagine informative"),
        _("Aggiorna la dichiarazione di accessibilità, la privacy e le note legali."),
        (Role.TEAM,),
        (
            (_("Dichiarazione di accessibilità"), "pages:edit", ("accessibilita",)),
            (_("Privacy"), "pages:edit", ("privacy",)),
            (_("Note legali"), "pages:edit", ("note-legali",)),
        ),
    ),
    Section(
        _("Amministrazione"),
        _("Accesso completo ai dati del portale."),
        (Role.TEAM,),
        ((_("Amministrazione del sito"), "admin:index"),),
    ),
]


def _resolve(name: str, args: tuple = ()) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def sections_for(user) -> list[dict]:
    role = Role.TEAM if user.is_superuser else user.role
    result = []
    for section in SECTIONS:
        if role not in section.roles:
            continue
        links = [
            {"label": label, "url": url}
            for label, name, *args in section.links
            if (url := _resolve(name, tuple(args[0]) if args else ()))
        ]
        result.append({"section": section, "links": links})
    return result
