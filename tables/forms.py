"""The forms of the working tables: a table with its members, a session with its agenda and documents, the answer
to an invitation, attendance, minutes, a written contribution and its reply, an outcome."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from phases.models import Objective
from projects.models import Project, Proposal
from psm_portal.accounts.models import Office, Role, User
from psm_portal.lib.forms import AutocompleteSelect, AutocompleteSelectMultiple, DateTimeLocalInput
from psm_portal.lib.uploads import DocumentField
from tables.models import Answer, TablePhase
from vocations.models import Scenario, Vocation


class TableForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=200)
    theme = forms.CharField(label=_("Tema"), max_length=200)
    description = forms.CharField(
        label=_("Descrizione"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    phase = forms.ChoiceField(label=_("Fase"), choices=TablePhase.choices)
    objectives = forms.ModelMultipleChoiceField(
        label=_("Obiettivi generali"),
        queryset=Objective.objects.general().in_tree_order(),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 6}),
    )
    coordinator_user = forms.ModelChoiceField(
        label=_("Coordinatore del team PSM"),
        queryset=User.objects.active().filter(role=Role.TEAM).order_by("full_name"),
        required=False,
        help_text=_("Oppure un ufficio coordinatore, qui sotto: uno dei due."),
    )
    coordinator_office = forms.ModelChoiceField(
        label=_("Ufficio coordinatore"), queryset=Office.objects.order_by("name"), required=False
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Comuni membri"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 8}),
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("Uffici membri"),
        queryset=Office.objects.order_by("name"),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 6}),
    )
    organisations = forms.CharField(
        label=_("Organizzazioni membri"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Una per riga, con il nome con cui i loro stakeholder sono registrati."),
    )

    def clean_organisations(self) -> list[str]:
        return [line.strip()[:200] for line in self.cleaned_data["organisations"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if bool(data.get("coordinator_user")) == bool(data.get("coordinator_office")):
            raise forms.ValidationError(_("Indicate un coordinatore: un componente del team PSM oppure un ufficio."))
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Data e ora di inizio"), widget=DateTimeLocalInput())
    duration_minutes = forms.IntegerField(label=_("Durata (minuti)"), min_value=1, max_value=720, initial=120)
    place = forms.CharField(label=_("Luogo (indirizzo)"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Collegamento online"), max_length=500, required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Posti disponibili"), min_value=1, max_value=9999, required=False, help_text=_("Facoltativo.")
    )
    agenda = forms.CharField(
        label=_("Ordine del giorno"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un punto per riga, nell'ordine in cui si discutono."),
    )
    document = DocumentField(label=_("Documento della seduta (facoltativo)"))

    def clean_agenda(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("online_url") and not self.errors:
            raise forms.ValidationError(_("Indicate il luogo della seduta, il collegamento online o entrambi."))
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Risposta"), choices=Answer.choices, widget=forms.RadioSelect)
    delegate_name = forms.CharField(
        label=_("Nome del delegato"), max_length=200, required=False, help_text=_("Solo se inviate un delegato.")
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == Answer.DELEGATE and not data.get("delegate_name", "").strip():
            self.add_error("delegate_name", _("Indicate il nome del delegato."))
        return data


class AttendanceForm(forms.Form):
    """One number field per member (people present), built from the table's members."""

    def __init__(self, *args, members=(), initial_people=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_people = initial_people or {}
        for member in members:
            self.fields[f"m{member.pk}"] = forms.IntegerField(
                label=member.label, min_value=0, max_value=999, required=False, initial=initial_people.get(member.pk)
            )
        self.members = list(members)

    def people(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data.get(f"m{m.pk}") or 0 for m in self.members}


class MinutesForm(forms.Form):
    html = forms.CharField(
        label=_("Testo del verbale"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Sono ammessi paragrafi, elenchi, titoli, grassetto, corsivo, collegamenti e tabelle (HTML)."),
    )
    attachment = DocumentField(label=_("Allegato (facoltativo)"))


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Contributo"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    document = DocumentField(label=_("Documento (facoltativo)"))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Risposta"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class OutcomeForm(forms.Form):
    title = forms.CharField(label=_("Esito"), max_length=300)
    description = forms.CharField(
        label=_("Descrizione"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    session = forms.ModelChoiceField(label=_("Seduta"), queryset=None, required=False)
    objective = forms.ModelChoiceField(
        label=_("Obiettivo specifico proposto o modificato"),
        queryset=Objective.objects.filter(level=3).order_by("sort_key"),
        required=False,
        widget=AutocompleteSelect,
    )
    proposal = forms.ModelChoiceField(
        label=_("Proposta di progetto"),
        queryset=Proposal.objects.order_by("title"),
        required=False,
        widget=AutocompleteSelect,
    )
    project = forms.ModelChoiceField(
        label=_("Progetto"),
        queryset=Project.objects.published().order_by("title"),
        required=False,
        widget=AutocompleteSelect,
    )
    vocation = forms.ModelChoiceField(
        label=_("Vocazione del territorio"), queryset=Vocation.objects.order_by("order", "name"), required=False
    )
    scenario = forms.ModelChoiceField(
        label=_("Scenario di sviluppo"), queryset=Scenario.objects.order_by("order", "title"), required=False
    )

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = table.sessions.filter(cancelled=False).order_by("-starts_at")
