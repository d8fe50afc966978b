"""The forms of projects: a project (with its funding lines and objectives), an import's upload, a proposal,
the team's decision on a proposal, and the catalogue's filters; amounts and dates written the Italian way."""

from __future__ import annotations

import zipfile
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from phases.models import Objective
from projects import rules
from projects.importer import CellError, parse_amount
from projects.models import QUARTERS, AgendaAction, FundingSource, Project, Proposal, Status, plan_years
from projects.objectives import specific_objectives
from psm_portal.accounts.models import Office
from psm_portal.lib import zips
from psm_portal.lib.forms import AutocompleteSelect, AutocompleteSelectMultiple
from psm_portal.lib.money import format_number
from psm_portal.lib.params import as_int

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class EuroField(forms.Field):
    """An amount in euro written the Italian way (1.234.567,89), never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
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
        try:
            return parse_amount(text)
        except CellError as exc:
            raise forms.ValidationError(str(exc).capitalize())


class ItalianDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "gg/mm/aaaa"}))
        kwargs.setdefault("help_text", _("Nel formato gg/mm/aaaa."))
        super().__init__(**kwargs)


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} — {obj.title}"


def municipality_choices():
    return Municipality.objects.defer("boundary", "svg_path").order_by("name")


class ProjectForm(forms.ModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Comuni interessati"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 8}),
        help_text=_("Puoi sceglierne più di uno."),
    )
    cup = forms.CharField(
        label=_("CUP"),
        required=False,
        max_length=20,
        help_text=_("Codice Unico di Progetto, 15 caratteri: facoltativo solo per le idee."),
    )
    objectives = ObjectiveChoiceField(
        label=_("Obiettivi specifici del piano"),
        queryset=Objective.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 8}),
        help_text=_("Gli obiettivi specifici a cui il progetto contribuisce: puoi sceglierne più di uno."),
    )
    total_cost = EuroField(label=_("Costo totale (€)"))
    planned_start = ItalianDateField(label=_("Inizio previsto"))
    planned_end = ItalianDateField(label=_("Fine prevista"))
    actual_start = ItalianDateField(label=_("Inizio effettivo"))
    actual_end = ItalianDateField(label=_("Fine effettiva"))

    class Meta:
        model = Project
        fields = [
            "office",
            "title",
            "summary",
            "description",
            "cup",
            "local_code",
            "status",
            "priority",
            "municipalities",
            "whole_area",
            "objectives",
            "total_cost",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipality_choices()
        self.fields["objectives"].queryset = specific_objectives().only("pk", "code", "title", "sort_key")
        self.fields["cup"].widget.attrs.update({"maxlength": 15, "autocomplete": "off"})
        if not user.is_team:
            del self.fields["office"]
        amounts = {line.source: line.amount for line in self.instance.funding_lines.all()} if self.instance.pk else {}
        for source, label in FundingSource.choices:
            self.fields[f"funding_{source}"] = EuroField(
                label=gettext("Finanziamento: %(source)s (€)") % {"source": label}
            )
            if source in amounts:
                self.initial[f"funding_{source}"] = amounts[source]

    def clean_cup(self) -> str:
        cup = rules.normal_cup(self.cleaned_data.get("cup") or "")
        if cup:
            rules.cup_validator(cup)
        return cup

    def clean(self):
        data = super().clean()
        breaches = [rules.place_required(data.get("municipalities"), data.get("whole_area"))]
        if "cup" in data and data.get("status"):
            breaches.append(rules.cup_required(data["cup"], data["status"]))
        breaches += rules.dates_in_order(data)
        for breach in filter(None, breaches):
            self.add_error(breach.field, breach.message)
        return data

    def _post_clean(self):
        # Validation runs in the service (full_clean); here only the form-level checks.
        pass

    @property
    def funding_fields(self):
        return [self[f"funding_{source}"] for source, _label in FundingSource.choices]

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("funding_")]

    def service_data(self) -> tuple[dict, list[str], dict[str, Decimal]]:
        data = self.cleaned_data
        relations = ("municipalities", "office", "objectives")
        fields = {name: data[name] for name in self.Meta.fields if name in data and name not in relations}
        if "office" in data and data["office"]:
            fields["office"] = data["office"]
        codes = [m.istat_code for m in data.get("municipalities") or []]
        funding = {
            source: data[f"funding_{source}"]
            for source, _label in FundingSource.choices
            if data.get(f"funding_{source}") is not None
        }
        return fields, codes, funding

    def service_objectives(self) -> list:
        return list(self.cleaned_data.get("objectives") or [])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Foglio di calcolo (CSV o Excel .xlsx)"),
        help_text=_("Il file dell'ufficio così com'è: il nostro modello, un'esportazione di OpenCoesione o del PNRR."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_team:
            self.fields["office"] = forms.ModelChoiceField(
                label=_("Ufficio"), queryset=Office.objects.all(), widget=AutocompleteSelect
            )
            self.order_fields(["office", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PROJECTS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Il file pesa %(size)s MB: il limite è %(limit)s MB. Dividilo in più file e caricali uno alla volta.")
                % {"size": format_number(upload.size / 1024 / 1024, 1), "limit": format_number(limit / 1024 / 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Il file è vuoto."))
        upload.seek(0)
        if upload.read(4) == b"PK\x03\x04":
            # An Excel file is a zip: one that would unpack too big is refused now, before it is stored.
            # A damaged one is left to the check, which says so in its own words.
            try:
                zips.open_checked(upload).close()
            except zipfile.BadZipFile:
                pass
        upload.seek(0)
        return upload


class ProposalForm(forms.ModelForm):
    estimated_cost = EuroField(label=_("Costo stimato (€)"), help_text=_("Facoltativo: una stima basta."))

    class Meta:
        model = Proposal
        fields = ["title", "description", "municipality", "estimated_cost"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "municipality": AutocompleteSelect}
        help_texts = {"description": _("Che cosa proponi, perché serve, chi ne beneficia.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_mayor:
            del self.fields["municipality"]  # a mayor proposes for their own municipality
        else:
            field = self.fields["municipality"]
            field.queryset = municipality_choices()
            field.required = False
            field.empty_label = gettext("Intera area metropolitana")
            field.help_text = _("Lascia «Intera area metropolitana» se la proposta riguarda tutto il territorio.")


class DecisionForm(forms.Form):
    ACCEPT, MERGE, DECLINE = "accept", "merge", "decline"
    decision = forms.ChoiceField(
        label=_("Decisione"),
        widget=forms.RadioSelect,
        choices=[
            (ACCEPT, _("Accogli: diventa un progetto (idea) di un ufficio")),
            (MERGE, _("Unisci a un progetto esistente")),
            (DECLINE, _("Non accogliere")),
        ],
    )
    office = forms.ModelChoiceField(
        label=_("Ufficio a cui affidare il progetto"),
        queryset=Office.objects.all(),
        required=False,
        widget=AutocompleteSelect,
    )
    project = forms.CharField(
        label=_("Progetto esistente (CUP o numero)"),
        required=False,
        max_length=20,
        help_text=_("Il CUP del progetto oppure il numero che compare nel suo indirizzo /progetti/<numero>/."),
    )
    reason = forms.CharField(
        label=_("Motivazione per il proponente"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obbligatoria se la proposta non è accolta: il proponente la leggerà."),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.ACCEPT and not data.get("office"):
            self.add_error("office", _("Scegli l'ufficio che seguirà il progetto."))
        if decision == self.MERGE:
            ref = (data.get("project") or "").strip().upper()
            project = None
            if (number := as_int(ref)) is not None:
                project = Project.objects.filter(pk=number).first()
            elif ref:
                project = Project.objects.filter(cup=ref).first()
            if project is None:
                self.add_error("project", _("Nessun progetto con questo CUP o numero."))
            data["project_obj"] = project
        if decision == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Scrivi la motivazione: il proponente la leggerà."))
        return data


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Cerca nel titolo, nella sintesi o per CUP"), required=False, max_length=100)
    ufficio = forms.ModelChoiceField(
        label=_("Ufficio"), queryset=Office.objects.all(), required=False, empty_label=_("Tutti gli uffici")
    )
    comune = forms.ModelChoiceField(
        label=_("Comune"), queryset=Municipality.objects.none(), required=False, empty_label=_("Tutti i comuni")
    )
    obiettivo = forms.CharField(label=_("Obiettivo specifico"), required=False, max_length=20)
    stato = forms.ChoiceField(label=_("Stato"), required=False, choices=[("", _("Tutti gli stati")), *Status.choices])
    fonte = forms.ChoiceField(
        label=_("Fonte di finanziamento"), required=False, choices=[("", _("Tutte le fonti")), *FundingSource.choices]
    )
    costo_min = EuroField(label=_("Costo da (€)"))
    costo_max = EuroField(label=_("Costo fino a (€)"))
    mappa = forms.ChoiceField(
        label=_("La mappa mostra"),
        required=False,
        choices=[("numero", _("il numero di progetti")), ("importo", _("il costo dei progetti"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].queryset = Municipality.objects.only("istat_code", "name").order_by("name")
        self.fields["comune"].to_field_name = "istat_code"

    def clean(self):
        data = super().clean()
        low, high = data.get("costo_min"), data.get("costo_max")
        if low is not None and high is not None and high < low:
            self.add_error("costo_max", _("Il costo massimo è minore del costo minimo."))
        return data


# --- The annual agenda ------------------------------------------------------------------------------------------


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.cup} — {obj.title}" if obj.cup else obj.title


class SpecificObjectiveField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} — {obj.title}"


class AgendaActionForm(forms.ModelForm):
    """An action of a draft agenda. Office staff pick among their own office's published projects and act for
    their office; the team picks any published project and the responsible office. The service checks again."""

    projects = ProjectChoiceField(
        label=_("Progetti"),
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "I progetti pubblicati a cui l'azione dà attuazione. Tieni premuto Ctrl (o Cmd) per sceglierne più di uno."
        ),
    )
    objective = SpecificObjectiveField(
        label=_("Obiettivo specifico"), queryset=Objective.objects.none(), required=False, empty_label=_("Nessuno")
    )
    contributing_offices = forms.ModelMultipleChoiceField(
        label=_("Uffici che collaborano"),
        queryset=Office.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    budget = EuroField(label=_("Budget (€)"), help_text=_("Per esempio 120.000,50."))

    class Meta:
        model = AgendaAction
        fields = [
            "title",
            "description",
            "projects",
            "objective",
            "responsible_office",
            "contributing_offices",
            "start_quarter",
            "due_quarter",
            "budget",
            "funding_source",
            "expected_output",
            "indicator",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_output": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.published().only("pk", "title", "cup").order_by("title", "pk")
        if not user.is_team:
            projects = projects.filter(office_id=user.office_id)
            del self.fields["responsible_office"]
        else:
            self.fields["responsible_office"].queryset = Office.objects.all()
        self.fields["projects"].queryset = projects
        self.fields["objective"].queryset = specific_objectives().only("pk", "code", "title", "sort_key")
        self.fields["funding_source"].required = False

    def _post_clean(self):
        # Validation runs in the service (full_clean); here only the fields' own checks.
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields if name in self.fields}
        data["budget"] = data.get("budget") or Decimal("0")
        data["projects"] = list(data.get("projects") or [])
        data["contributing_offices"] = list(data.get("contributing_offices") or [])
        return data


class NewAgendaForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Anno"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in plan_years()]


class AgendaFilterForm(forms.Form):
    """The public agenda's filters; a value that names nothing is simply not applied."""

    ufficio = forms.ModelChoiceField(
        label=_("Ufficio responsabile"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("Tutti gli uffici"),
    )
    obiettivo = forms.ModelChoiceField(
        label=_("Obiettivo"), queryset=Objective.objects.none(), required=False, empty_label=_("Tutti gli obiettivi")
    )
    comune = forms.ModelChoiceField(
        label=_("Comune"), queryset=Municipality.objects.none(), required=False, empty_label=_("Tutti i comuni")
    )
    trimestre = forms.TypedChoiceField(
        label=_("Trimestre"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Tutto l'anno")), *QUARTERS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ufficio"].queryset = Office.objects.order_by("name")
        self.fields["ufficio"].to_field_name = "code"
        self.fields["obiettivo"].queryset = Objective.objects.in_tree_order().only("pk", "code", "title", "sort_key")
        self.fields["obiettivo"].to_field_name = "code"
        self.fields["obiettivo"].label_from_instance = lambda obj: f"{obj.code} — {obj.title}"
        self.fields["comune"].queryset = Municipality.objects.only("istat_code", "name").order_by("name")
        self.fields["comune"].to_field_name = "istat_code"

    def filters(self) -> dict:
        """The valid filters only: a bad one is dropped, the others still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
