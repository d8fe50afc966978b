"""The forms of the plan documents: which document to prepare, a comment on the draft, the team's reply; the
council's examination, amendments, votes and deliberation; the public check of a copy (a file or its SHA-256)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, ngettext

from plan.models import AmendmentTarget, DraftSection, PlanDocument, PlanKind, PlanStatus
from plan.verification import SHA256_RE
from projects.forms import EuroField, ItalianDateField
from projects.models import Agenda, AgendaAction, AgendaStatus, Project
from psm_portal.lib.forms import DateTimeLocalInput
from psm_portal.lib.params import as_int
from psm_portal.lib.uploads import MAX_DOCUMENT_BYTES, DocumentField, bounded_sha256


class PlanRenderForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Documento da preparare"), choices=PlanKind.choices)


class PlanCommentForm(forms.Form):
    section = forms.ChoiceField(label=gettext_lazy("Sezione"), choices=DraftSection.choices)
    body = forms.CharField(
        label=gettext_lazy("Il tuo commento"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class PlanReplyForm(forms.Form):
    """The team's reply in one thread; the section page shows one per thread (``for_thread``).

    The form is inline and the view redirects: its messages are what to do, shown above the page."""

    THREAD_INVALID = gettext_lazy("la discussione indicata non è valida, ricarica la pagina e riprova")
    BODY_INVALID = gettext_lazy("scrivi il testo (al massimo 4.000 caratteri)")

    thread = forms.CharField(
        widget=forms.HiddenInput,
        max_length=30,
        error_messages={"required": THREAD_INVALID, "max_length": THREAD_INVALID},
    )
    body = forms.CharField(
        label=gettext_lazy("Risposta del team PSM"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": BODY_INVALID, "max_length": BODY_INVALID},
    )
    # The page of the section the team is reading, to go back to it; anything else is page 1.
    # A plain Field: a CharField would refuse a NUL byte before ``clean_pagina`` could turn it into page 1.
    pagina = forms.Field(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_thread(cls, key: str, page: int = 1) -> PlanReplyForm:
        # One form per thread on the page, each with its own ids; the fields keep their names.
        return cls(auto_id=f"risposta-{key}-%s", initial={"thread": key, "pagina": page})

    def clean_pagina(self) -> int:
        page = as_int(self.cleaned_data.get("pagina"))
        return page if page and page > 0 else 1


# --- The council's act ----------------------------------------------------------------------------------------


class ExaminationForm(forms.Form):
    """The team sends a final version (and the year's agenda) to the council, with the amendments' window."""

    document = forms.ModelChoiceField(
        label=gettext_lazy("Versione del piano finale"), queryset=PlanDocument.objects.none()
    )
    agenda = forms.ModelChoiceField(
        label=gettext_lazy("Agenda annuale da esaminare con il piano"), queryset=Agenda.objects.none(), required=False
    )
    opens = forms.DateTimeField(label=gettext_lazy("Emendamenti dal"), widget=DateTimeLocalInput())
    closes = forms.DateTimeField(label=gettext_lazy("Emendamenti fino al"), widget=DateTimeLocalInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = (
            PlanDocument.objects.of_kind(PlanKind.FINAL).filter(status=PlanStatus.READY).defer("snapshot")
        )
        self.fields["agenda"].queryset = Agenda.objects.filter(
            status__in=[AgendaStatus.DRAFT, AgendaStatus.SUBMITTED]
        ).order_by("year", "version")


class AmendmentForm(forms.Form):
    """A councillor's amendment: what it changes, the proposal and the motivation."""

    target = forms.ChoiceField(label=gettext_lazy("Che cosa emenda"), choices=AmendmentTarget.choices)
    section = forms.ChoiceField(
        label=gettext_lazy("Sezione del piano"), choices=[("", "—"), *DraftSection.choices], required=False
    )
    project = forms.ModelChoiceField(label=gettext_lazy("Progetto"), queryset=Project.objects.none(), required=False)
    action = forms.ModelChoiceField(
        label=gettext_lazy("Azione dell'agenda"), queryset=AgendaAction.objects.none(), required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Testo proposto"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        required=False,
        help_text=gettext_lazy("Per una sezione: il testo da aggiungere. Per un'azione: la nuova descrizione."),
    )
    amount = EuroField(
        label=gettext_lazy("Importo proposto (€)"),
        required=False,
        help_text=gettext_lazy("Per l'importo di un progetto o il budget di un'azione."),
    )
    year = forms.IntegerField(label=gettext_lazy("Anno proposto"), min_value=2000, max_value=2100, required=False)
    motivation = forms.CharField(
        label=gettext_lazy("Motivazione"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, examination=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.only("pk", "title", "cup").order_by("title", "pk")
        if examination is not None and examination.agenda_id:
            self.fields["action"].queryset = (
                AgendaAction.objects.filter(agenda_id=examination.agenda_id).select_related("agenda").in_order()
            )
        else:
            del self.fields["action"]


class AdmissibilityForm(forms.Form):
    admissible = forms.TypedChoiceField(
        label=gettext_lazy("L'emendamento è"),
        choices=[("1", gettext_lazy("ammissibile")), ("0", gettext_lazy("inammissibile"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Nota (obbligatoria se inammissibile)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class VotesForm(forms.Form):
    present = forms.IntegerField(label=gettext_lazy("Presenti"), min_value=0, max_value=1000)
    votes_for = forms.IntegerField(label=gettext_lazy("Favorevoli"), min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label=gettext_lazy("Contrari"), min_value=0, max_value=1000)
    abstained = forms.IntegerField(label=gettext_lazy("Astenuti"), min_value=0, max_value=1000)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Esito"),
        choices=[("approved", gettext_lazy("approvato")), ("rejected", gettext_lazy("respinto"))],
        widget=forms.RadioSelect,
    )


class DeliberationForm(VotesForm):
    """The deliberation: its number, date and session, the votes and outcome, the signed PDF."""

    field_order = ["number", "year", "date", "session", "present", "votes_for", "votes_against", "abstained"]

    number = forms.IntegerField(label=gettext_lazy("Numero della delibera"), min_value=1, max_value=100000)
    year = forms.IntegerField(label=gettext_lazy("Anno"), min_value=2000, max_value=2100)
    date = ItalianDateField(label=gettext_lazy("Data della seduta"), required=True)
    session = forms.CharField(
        label=gettext_lazy("Seduta"),
        max_length=200,
        help_text=gettext_lazy("Per esempio «seduta ordinaria del 12/03/2027»."),
    )
    pdf = DocumentField(
        label=gettext_lazy("Delibera firmata (PDF)"), required=False, help_text=gettext_lazy("PDF, al massimo 10 MB.")
    )


# --- The public check of a copy -----------------------------------------------------------------------------


class PlanVerifyForm(forms.Form):
    """A copy of a plan document to check: the file itself (hashed here, never stored) or its SHA-256 pasted.

    ``cleaned_data["sha256"]`` is the digest to look up, whichever was given."""

    MAX_BYTES = MAX_DOCUMENT_BYTES
    HASH_HELP = gettext_lazy("64 caratteri: cifre da 0 a 9 e lettere da a a f, come nella pagina del piano.")

    file = forms.FileField(
        label=gettext_lazy("Il file PDF da verificare"),
        help_text=gettext_lazy("Al massimo 10 MB. Il file non viene conservato: il portale ne calcola l'impronta."),
        required=False,
        error_messages={"empty": gettext_lazy("Il file è vuoto.")},
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    sha256 = forms.CharField(
        label=gettext_lazy("Oppure la sua impronta SHA-256"),
        help_text=HASH_HELP,
        required=False,
        max_length=200,
        error_messages={"max_length": gettext_lazy("L'impronta SHA-256 è lunga 64 caratteri.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "font-monospace"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        return bounded_sha256(upload, limit=self.MAX_BYTES)

    def clean_sha256(self) -> str:
        # Pasted from a page or a terminal: upper case, blanks, "sha256:" or a file name after it are tolerated.
        text = (self.cleaned_data.get("sha256") or "").strip().lower()
        text = re.sub(r"^sha-?256[:=\s]*", "", text)
        tokens = text.split()
        text = tokens[0] if tokens and len(tokens[0]) == 64 else "".join(tokens)  # "<hash>  file.pdf" or spaced
        if not text:
            return ""
        if re.search(r"[^0-9a-f]", text):
            raise ValidationError(
                gettext_lazy("L'impronta può contenere solo cifre da 0 a 9 e lettere da a a f."), code="not_hex"
            )
        if not SHA256_RE.match(text):
            raise ValidationError(
                ngettext(
                    "L'impronta SHA-256 è lunga 64 caratteri: ne hai inserito %(count)d.",
                    "L'impronta SHA-256 è lunga 64 caratteri: ne hai inseriti %(count)d.",
                    len(text),
                )
                % {"count": len(text)},
                code="length",
            )
        return text

    def clean(self):
        cleaned = super().clean()
        from_file, pasted = cleaned.get("file"), cleaned.get("sha256")
        if self.errors:
            return cleaned
        if from_file and pasted and from_file != pasted:
            raise ValidationError(
                gettext_lazy("Il file caricato non corrisponde all'impronta inserita: verifica l'uno o l'altra."),
                code="mismatch",
            )
        if not from_file and not pasted:
            raise ValidationError(
                gettext_lazy("Carica il PDF da verificare oppure incolla la sua impronta SHA-256."), code="empty"
            )
        cleaned["sha256"] = from_file or pasted
        return cleaned
