"""The forms of the process: a phase's dates, a Vision version and the opening of its review, an objective with
its indicators, a position, the choice of two versions to compare, an istanza, the team's review of it and the
filters of the istanze received."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.forms import TargetsField, initial_targets
from phases.models import (
    Indicator,
    Need,
    NeedStatus,
    NeedTheme,
    Objective,
    ObjectiveLevel,
    Stance,
    VisionVersion,
    position_comment_error,
)
from psm_portal.lib.forms import AutocompleteSelectMultiple, DateTimeLocalInput
from psm_portal.lib.uploads import DocumentField


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput)


class PhaseDatesForm(forms.Form):
    starts_at = _datetime_field(_("Inizio"))
    ends_at = _datetime_field(_("Fine"))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise forms.ValidationError(_("La fine deve essere successiva all'inizio."))
        return data


class VisionVersionForm(forms.ModelForm):
    class Meta:
        model = VisionVersion
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 18})}


class OpenReviewForm(forms.Form):
    deadline = _datetime_field(_("Termine per le posizioni"))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Il termine per le posizioni deve essere nel futuro."))
        return deadline


CODE_PATTERNS = {
    ObjectiveLevel.AXIS: (r"[A-Z]", _("Un asse ha per codice una lettera maiuscola, per esempio «A».")),
    ObjectiveLevel.GENERAL: (
        r"{parent}\d{{1,2}}",
        _("Un obiettivo generale ha il codice dell'asse e un numero: «A1»."),
    ),
    ObjectiveLevel.SPECIFIC: (
        r"{parent}\.\d{{1,2}}",
        _("Un obiettivo specifico ha il codice dell'obiettivo generale, un punto e un numero: «A1.2»."),
    ),
}


class ObjectiveForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("Livello superiore"),
        queryset=Objective.objects.filter(level__in=[ObjectiveLevel.AXIS, ObjectiveLevel.GENERAL]),
        required=False,
        empty_label=_("nessuno: è un asse strategico"),
        help_text=_("Sotto un asse si crea un obiettivo generale, sotto un obiettivo generale uno specifico."),
    )

    class Meta:
        model = Objective
        fields = ["parent", "code", "order", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"code": _("Stabile: compare nell'indirizzo della pagina. Esempi: A, A1, A1.2.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A node keeps its place in the tree: links to its code must keep working.
            self.fields["parent"].disabled = True
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        code = (data.get("code") or "").strip()
        level = ObjectiveLevel.AXIS if parent is None else parent.level + 1
        pattern, message = CODE_PATTERNS[level]
        regex = pattern.format(parent=re.escape(parent.code) if parent else "")
        if code and not re.fullmatch(regex, code):
            self.add_error("code", message)
        self.instance.level = level
        return data


IndicatorFormSet = forms.inlineformset_factory(
    Objective,
    Indicator,
    fields=["name", "unit", "baseline", "target", "year", "order"],
    extra=2,
    can_delete=True,
)


class PositionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Not required on the page (a target left blank is not saved); a target that is saved needs one (clean).
    stance = forms.ChoiceField(label=_("Posizione"), choices=Stance.choices, widget=forms.RadioSelect, required=False)
    comment = forms.CharField(
        label=_("Commento"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obbligatorio se sei d'accordo con modifiche o in disaccordo: scrivi che cosa cambiare."),
    )
    attachment = DocumentField(label=_("Documento (facoltativo)"))
    remove_attachment = forms.BooleanField(label=_("Togli il documento allegato"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("stance") and "stance" not in self.errors:
            self.add_error("stance", _("Scegli la posizione."))
        if missing := position_comment_error(data.get("stance", ""), data.get("comment", "")):
            self.add_error("comment", missing)
        return data


class DiffForm(forms.Form):
    da = forms.IntegerField(label=_("Dalla versione"), min_value=1)
    a = forms.IntegerField(label=_("Alla versione"), min_value=1)


# --- Istanze -----------------------------------------------------------------------------------------------


class NeedForm(forms.ModelForm):
    objectives = forms.ModelMultipleChoiceField(
        label=_("Obiettivi generali collegati"),
        queryset=Objective.objects.general().in_tree_order(),
        required=False,
        widget=AutocompleteSelectMultiple,
    )
    attachment_1 = DocumentField(label=_("Allegato 1"))
    attachment_2 = DocumentField(label=_("Allegato 2"))
    attachment_3 = DocumentField(label=_("Allegato 3"))

    class Meta:
        model = Need
        fields = ["title", "description", "theme", "objectives"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def attachments(self) -> list:
        return [self.cleaned_data[f"attachment_{i}"] for i in (1, 2, 3) if self.cleaned_data.get(f"attachment_{i}")]


class NeedReviewForm(forms.Form):
    """The team's review. Not a ModelForm: an invalid POST must not copy its values onto the istanza shown."""

    # The model's own form fields: same labels, choices and limits.
    status = Need._meta.get_field("status").formfield()
    tags = Need._meta.get_field("tags").formfield()
    reply = Need._meta.get_field("reply").formfield(widget=forms.Textarea(attrs={"rows": 4}))
    led_to = TargetsField(
        label=_("Presa in considerazione in"),
        help_text=_("Gli obiettivi, i progetti o le azioni in cui l'istanza è stata presa in considerazione."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["led_to"].load_choices()

    @classmethod
    def for_need(cls, need: Need, data=None) -> NeedReviewForm:
        return cls(
            data,
            initial={"status": need.status, "tags": need.tags, "reply": need.reply, "led_to": initial_targets(need)},
        )

    def clean(self):
        data = super().clean()
        if data.get("status") != NeedStatus.TAKEN and data.get("led_to"):
            self.add_error(
                "led_to", _("Indica dove è stata presa in considerazione solo se l'esito è «presa in considerazione».")
            )
        return data


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Comune o titolo"), required=False, max_length=100)
    stato = forms.ChoiceField(label=_("Esito"), required=False, choices=[("", _("tutti"))] + list(NeedStatus.choices))
    tema = forms.ChoiceField(label=_("Tema"), required=False, choices=[("", _("tutti"))] + list(NeedTheme.choices))
