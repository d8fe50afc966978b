"""The forms of implementation tracking: a reporting cycle, a progress report (with its milestones and money by
funding source), the team's return of a report, and the public page's filters."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from implementation.models import GovernanceBody, OfficeReferent, Progress, ReportingCycle
from municipalities.models import Municipality
from phases.models import Stance, VisionVersion, position_comment_error
from projects.forms import EuroField, ImportForm, ItalianDateField
from projects.importer import CellError, parse_amount
from projects.models import FundingSource
from psm_portal.accounts.models import Office
from psm_portal.lib.forms import DateTimeLocalInput
from psm_portal.lib.money import format_number
from psm_portal.lib.uploads import DocumentField


class CycleForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=100, help_text=_("Per esempio «II trimestre 2027»."))
    opens_on = ItalianDateField(label=_("Si apre il"), required=True)
    closes_on = ItalianDateField(label=_("Si chiude il"), required=True)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("Il ciclo non può chiudersi prima di aprirsi."))
        return data


class ReportForm(forms.Form):
    progress = forms.ChoiceField(label=_("Stato di attuazione"), choices=Progress.choices)
    percent = forms.IntegerField(
        label=_("Percentuale di completamento"),
        min_value=0,
        max_value=100,
        help_text=_("Da 0 a 100: quanto dell'intervento è realizzato."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Nota"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )
    document = DocumentField(label=_("Documento (facoltativo)"))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Traguardo"), max_length=200, required=False)
    planned_on = ItalianDateField(label=_("Data prevista"))
    achieved_on = ItalianDateField(label=_("Data effettiva"))

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("planned_on"):
            self.add_error("planned_on", _("Indicate la data prevista del traguardo."))
        if not data.get("title") and (data.get("planned_on") or data.get("achieved_on")):
            self.add_error("title", _("Indicate il nome del traguardo."))
        return data


class FundingForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Fonte"), required=False, choices=[("", _("— nessuna —")), *FundingSource.choices]
    )
    committed = EuroField(label=_("Impegnato (€)"))
    paid = EuroField(label=_("Pagato (€)"))

    def clean(self):
        data = super().clean()
        committed, paid = data.get("committed"), data.get("paid")
        if not data.get("source") and (committed or paid):
            self.add_error("source", _("Indicate la fonte di questi importi."))
        if committed is not None and paid is not None and paid > committed:
            self.add_error("paid", _("Il pagato non può superare l'impegnato."))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=0, max_num=10, absolute_max=10, validate_max=True)
FundingFormSet = forms.formset_factory(
    FundingForm, extra=0, max_num=len(FundingSource.choices), absolute_max=len(FundingSource.choices), validate_max=True
)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo del rinvio all'ufficio"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class ProgressFilterForm(forms.Form):
    ufficio = forms.ModelChoiceField(
        label=_("Ufficio"), queryset=Office.objects.all(), required=False, empty_label=_("Tutti gli uffici")
    )
    comune = forms.ModelChoiceField(
        label=_("Comune"), queryset=Municipality.objects.none(), required=False, empty_label=_("Tutti i comuni")
    )
    fonte = forms.ChoiceField(
        label=_("Fonte di finanziamento"), required=False, choices=[("", _("Tutte le fonti")), *FundingSource.choices]
    )
    stato = forms.ChoiceField(label=_("Stato"), required=False, choices=[("", _("Tutti gli stati")), *Progress.choices])
    mappa = forms.ChoiceField(
        label=_("La mappa mostra"),
        required=False,
        choices=[("avanzamento", _("l'avanzamento")), ("pagato", _("gli importi pagati"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].queryset = Municipality.objects.only("istat_code", "name").order_by("name")
        self.fields["comune"].to_field_name = "istat_code"

    def filters(self) -> dict:
        """The roll-up's filters from valid fields (an invalid one is ignored, and shown as an error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {
            "office": data.get("ufficio"),
            "comune": data.get("comune"),
            "source": data.get("fonte"),
            "progress": data.get("stato"),
        }


# --- Governance model -------------------------------------------------------------------------------------------


class GovernanceDraftForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=200)
    text = forms.CharField(
        label=_("Testo"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("HTML semplice: paragrafi, titoli, elenchi, collegamenti."),
    )


GovernanceBodyFormSet = forms.inlineformset_factory(
    VisionVersion,
    GovernanceBody,
    fields=["order", "name", "members", "duties", "review_frequency"],
    widgets={"members": forms.Textarea(attrs={"rows": 2}), "duties": forms.Textarea(attrs={"rows": 3})},
    extra=1,
    max_num=20,
    validate_max=True,
    can_delete=True,
)


class OfficeReferentForm(forms.ModelForm):
    class Meta:
        model = OfficeReferent
        fields = ["office", "referent", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2})}


OfficeReferentFormSet = forms.inlineformset_factory(
    VisionVersion,
    OfficeReferent,
    form=OfficeReferentForm,
    extra=1,
    max_num=100,
    validate_max=True,
    can_delete=True,
)


class GovernanceOpenForm(forms.Form):
    deadline = forms.DateTimeField(label=_("Termine per le posizioni"), widget=DateTimeLocalInput)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Il termine per le posizioni deve essere nel futuro."))
        return deadline


class GovernancePositionForm(forms.Form):
    stance = forms.ChoiceField(label=_("Posizione"), choices=Stance.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commento"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obbligatorio se sei d'accordo con modifiche o in disaccordo: scrivi che cosa cambiare."),
    )

    def clean(self):
        data = super().clean()
        if missing := position_comment_error(data.get("stance", ""), data.get("comment", "")):
            self.add_error("comment", missing)
        return data


class MonitoringImportForm(forms.Form):
    """A monitoring file (OpenCoesione, PNRR/ReGiS or ours) to report on many projects at once in a cycle."""

    cycle = forms.ModelChoiceField(label=_("Ciclo di rendicontazione"), queryset=ReportingCycle.objects.none())
    file = forms.FileField(
        label=_("File di monitoraggio (CSV o Excel .xlsx)"),
        help_text=_(
            "Un'esportazione di OpenCoesione o del sistema ReGiS (PNRR) così com'è, oppure un foglio con le colonne "
            "CUP, Impegnato, Pagato, Avanzamento (%), Stato, Inizio effettivo, Fine effettiva."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ReportingCycle.objects.started()

    # The project importer's checks of the upload: size, emptiness, an Excel zip that would unpack too big.
    clean_file = ImportForm.clean_file


class MeasuredValueField(forms.Field):
    """A measured value written the Italian way (1.234,5 or -2,3), negative values allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 30}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, 2)
        return value

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if not text:
            return None
        negative = text.startswith("-")
        try:
            amount = parse_amount(text.lstrip("-").strip())
        except CellError:
            raise forms.ValidationError(
                _("«%(text)s» non è un numero: scrivi per esempio 1.234,5") % {"text": text[:40]}
            )
        if amount is None:
            raise forms.ValidationError(_("Indica il valore misurato."))
        return -amount if negative else amount


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(
        label=_("Anno"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Indica un anno tra il 2000 e il 2100."),
            "max_value": _("Indica un anno tra il 2000 e il 2100."),
        },
    )
    value = MeasuredValueField(label=_("Valore misurato"), help_text=_("Nell'unità di misura dell'indicatore."))
    source = forms.CharField(label=_("Fonte"), max_length=250, help_text=_("Per esempio «ISTAT, censimento 2021»."))
    note = forms.CharField(
        label=_("Nota (facoltativa)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )
