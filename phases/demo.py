"""Demo content: a Vision open for review, four axes with objectives and indicators, positions and istanze.

Idempotent: objects are found by their code or number; dates are relative to today. Made through the portal's
services (objectives, istanze) or its model managers, never with the test factories (a development-only package).
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from municipalities.models import Municipality
from phases.models import (
    Indicator,
    Need,
    NeedStatus,
    NeedTheme,
    Objective,
    ObjectiveLevel,
    Phase,
    Position,
    Stance,
    VisionStatus,
    VisionVersion,
)
from phases.phases import PhaseKey
from phases.predicates import phase_windows
from phases.services import need_review, need_submit, objective_save
from psm_portal.accounts.models import Office, User
from psm_portal.lib.html import sanitize_html

VISION_V1 = """
<h2>Messina, la città dello Stretto</h2>
<p>La Città Metropolitana di Messina vuole essere una comunità di 108 comuni connessi tra loro e con il resto
d'Europa, che custodisce le sue isole, i suoi monti e le sue coste e ne fa una ragione di sviluppo.</p>
<p>Il piano punta su collegamenti, ambiente e lavoro.</p>
"""

VISION_V2 = """
<h2>Messina, la città dello Stretto e delle isole</h2>
<p>La Città Metropolitana di Messina vuole essere una comunità di 108 comuni connessi tra loro, con le Eolie e con
il resto d'Europa, che custodisce le sue isole, i Nebrodi, i Peloritani e le sue coste e ne fa una ragione di
sviluppo sostenibile.</p>
<p>Il piano punta su collegamenti, transizione ecologica, lavoro dei giovani e servizi vicini ai cittadini.</p>
<ul><li>Nessun comune più lontano di un'ora da un servizio essenziale.</li><li>Coste e aree interne sicure.</li></ul>
"""

TREE = [
    (
        "A",
        "Connessioni e mobilità sostenibile",
        [
            (
                "A1",
                "Collegare le aree interne ai poli urbani",
                [
                    (
                        "A1.1",
                        "Riqualificare la viabilità provinciale",
                        [("Strade provinciali riqualificate", "km", 0, 180, 2029)],
                    ),
                    (
                        "A1.2",
                        "Trasporto pubblico intercomunale",
                        [("Comuni serviti da linee giornaliere", "n.", 61, 95, 2029)],
                    ),
                ],
            ),
            (
                "A2",
                "Continuità territoriale con le isole minori",
                [
                    ("A2.1", "Porti e approdi accessibili", [("Approdi adeguati", "n.", 4, 12, 2028)]),
                ],
            ),
        ],
    ),
    (
        "B",
        "Ambiente, clima e territorio",
        [
            (
                "B1",
                "Ridurre il rischio idrogeologico",
                [
                    (
                        "B1.1",
                        "Messa in sicurezza dei torrenti",
                        [("Popolazione esposta a rischio elevato", "%", 11.4, 7, 2030)],
                    ),
                ],
            ),
            (
                "B2",
                "Coste e mare come bene comune",
                [
                    ("B2.1", "Contrasto all'erosione costiera", [("Costa in erosione", "km", 92, 60, 2030)]),
                ],
            ),
        ],
    ),
    (
        "C",
        "Lavoro, imprese e turismo",
        [
            (
                "C1",
                "Destagionalizzare il turismo",
                [
                    (
                        "C1.1",
                        "Itinerari tra Nebrodi, Peloritani ed Eolie",
                        [("Presenze fuori stagione", "%", 22, 35, 2029)],
                    ),
                ],
            ),
            (
                "C2",
                "Lavoro per i giovani",
                [
                    ("C2.1", "Formazione e impresa", [("Tasso di occupazione 20-34 anni", "%", 38.5, 48, 2030)]),
                ],
            ),
        ],
    ),
    (
        "D",
        "Servizi, scuole e inclusione",
        [
            (
                "D1",
                "Scuole sicure e moderne",
                [
                    (
                        "D1.1",
                        "Adeguamento sismico degli istituti superiori",
                        [("Istituti adeguati", "%", 35, 80, 2030)],
                    ),
                ],
            ),
            (
                "D2",
                "Comuni digitali",
                [
                    (
                        "D2.1",
                        "Servizi online comuni a tutti i 108 comuni",
                        [("Comuni con servizi online", "n.", 40, 108, 2028)],
                    ),
                ],
            ),
        ],
    ),
]

# What a node of the tree says when the demo has nothing more to say about it.
PLACEHOLDER = "Descrizione dell'obiettivo."

NEEDS = [
    (
        "083048",
        "Collegamento veloce con gli svincoli autostradali della zona sud",
        NeedTheme.MOBILITY,
        ["A1"],
        NeedStatus.TAKEN,
        "Preso in considerazione nell'obiettivo A1.1.",
    ),
    ("083048", "Riqualificazione del waterfront", NeedTheme.TOURISM, ["C1", "B2"], NeedStatus.RECEIVED, ""),
    (
        "083041",
        "Approdo sicuro a Stromboli e Panarea",
        NeedTheme.MOBILITY,
        ["A2"],
        NeedStatus.TAKEN,
        "Inserito tra le priorità dell'obiettivo A2.1.",
    ),
    (
        "083041",
        "Dissalatore per l'estate",
        NeedTheme.ENVIRONMENT,
        ["B1"],
        NeedStatus.NOT_TAKEN,
        "Di competenza regionale: lo segnaliamo alla Regione.",
    ),
]


def seed_phases() -> None:
    """Make the listening phase run today, as the demo needs, and keep the three phases consecutive."""
    # The three phases are created by migration 0002; recreate them if the tables were emptied since.
    import_module("phases.migrations.0002_default_phases").create_phases(apps, None)
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    start = today - timedelta(days=30)
    for index, key in enumerate([PhaseKey.LISTENING, PhaseKey.AGENDA, PhaseKey.FINAL]):
        Phase.objects.filter(key=key).update(
            starts_at=start + timedelta(days=90 * index), ends_at=start + timedelta(days=90 * (index + 1))
        )
    # The istanze below pass the listening phase's gate, which reads the dates through this memo.
    phase_windows.clear()


def _objective(actor, *, code: str, parent: Objective | None, order: int, title: str, description: str) -> Objective:
    """The node with this code, or a new one saved as the team saves it."""
    if existing := Objective.objects.filter(code=code).first():
        return existing
    level = ObjectiveLevel(parent.level + 1) if parent else ObjectiveLevel.AXIS
    node = Objective(code=code, parent=parent, level=level, order=order, title=title, description=description)
    return objective_save(objective=node, actor=actor)


def seed_objectives() -> list[Objective]:
    team = User.objects.filter(email="team@demo.psm.local").first()
    general = []
    for a_order, (a_code, a_title, generals) in enumerate(TREE, start=1):
        axis = _objective(
            team, code=a_code, parent=None, order=a_order, title=a_title, description=f"Asse strategico {a_code}."
        )
        for g_order, (g_code, g_title, specifics) in enumerate(generals, start=1):
            objective = _objective(
                team, code=g_code, parent=axis, order=g_order, title=g_title, description=PLACEHOLDER
            )
            general.append(objective)
            for s_order, (s_code, s_title, indicators) in enumerate(specifics, start=1):
                specific = _objective(
                    team, code=s_code, parent=objective, order=s_order, title=s_title, description=PLACEHOLDER
                )
                if not specific.indicators.exists():
                    Indicator.objects.bulk_create(
                        Indicator(objective=specific, name=name, unit=unit, baseline=baseline, target=target, year=year)
                        for name, unit, baseline, target, year in indicators
                    )
    return general


def seed_versions():
    """Two versions with a history in the past: the services stamp every step with the present moment. Rounded to
    the hour, so that the deadlines read like ones a person sets (never 14:37)."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    v1, _created = VisionVersion.objects.get_or_create(
        number=1,
        defaults={
            "title": "Messina 2030 — prima bozza",
            "text": sanitize_html(VISION_V1),
            "status": VisionStatus.ADOPTED,
            "opened_at": now - timedelta(days=60),
            "deadline": now - timedelta(days=40),
            "closed_at": now - timedelta(days=40),
            "adopted_at": now - timedelta(days=35),
        },
    )
    v2, _created = VisionVersion.objects.get_or_create(
        number=2,
        defaults={
            "title": "Messina 2030 — lo Stretto e le isole",
            "text": sanitize_html(VISION_V2),
            "status": VisionStatus.OPEN,
            "opened_at": now - timedelta(days=5),
            "deadline": now + timedelta(days=25),
            "notified_at": now - timedelta(days=5),
        },
    )
    return v1, v2


def seed_positions(version, general: list[Objective]) -> int:
    mayor = User.objects.filter(email="sindaco.b@demo.psm.local").first()
    office = Office.objects.filter(code="viabilita").first()
    lipari = Municipality.objects.filter(istat_code="083041").first()
    count = 0
    stances = [Stance.AGREE, Stance.AGREE_WITH_CHANGES, Stance.AGREE, Stance.DISAGREE]
    for subject in (("municipality", lipari, mayor), ("office", office, None)):
        field, value, author = subject
        if value is None:
            continue
        # Lipari answers everything (blue on the coverage map), the office only part (orange).
        targets = [None, *general] if field == "municipality" else [None, *general[:4]]
        for index, objective in enumerate(targets):
            _, created = Position.objects.get_or_create(
                version=version,
                objective=objective,
                **{field: value},
                defaults={
                    "stance": stances[index % len(stances)],
                    "comment": "Chiediamo più attenzione alle isole minori." if index == 1 else "",
                    "author": author,
                },
            )
            count += created
    return count


# Where the team took the demo's istanze into account (the objectives' codes), recorded with its reply.
NEEDS_LED_TO = {
    "Collegamento veloce con gli svincoli autostradali della zona sud": ["A1.1"],
    "Approdo sicuro a Stromboli e Panarea": ["A2.1"],
}


def seed_needs() -> int:
    """Each comune's mayor sends its istanze, and the team answers some of them."""
    team = User.objects.filter(email="team@demo.psm.local").first()
    created = 0
    for istat, title, theme, codes, status, reply in NEEDS:
        municipality = Municipality.objects.filter(istat_code=istat).first()
        if municipality is None or Need.objects.filter(municipality=municipality, title=title).exists():
            continue
        mayor = User.objects.mayors_of(municipality).first()
        if mayor is None:
            continue
        need = need_submit(
            user=mayor,
            title=title,
            description="Il comune chiede attenzione a questo bisogno.",
            theme=theme,
            objectives=Objective.objects.filter(code__in=codes),
        )
        if status != NeedStatus.RECEIVED or reply:
            led_to = list(Objective.objects.filter(code__in=NEEDS_LED_TO.get(title, [])))
            need_review(need=need, actor=team, status=status, tags="", reply=reply, led_to=led_to)
        created += 1
    return created


def seed(stdout) -> None:
    seed_phases()
    general = seed_objectives()
    _v1, v2 = seed_versions()
    positions = seed_positions(v2, general)
    needs = seed_needs()
    stdout.write(
        f"Visione: 2 versioni (la 2 aperta fino al {timezone.localtime(v2.deadline):%d/%m/%Y}), "
        f"{Objective.objects.count()} obiettivi, {positions} nuove posizioni, {needs} nuove istanze."
    )
