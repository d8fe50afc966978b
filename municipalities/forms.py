from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Need, NeedStatus, NeedTheme
from phases.models import Objective
from psm_portal.lib.uploads import DocumentField


class NeedForm(forms.ModelForm):
    objectives = forms.ModelMultipleChoiceField(
        label=_("Obiettivi generali collegati"),
        queryset=Objective.objects.general().in_tree_order(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
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

    @classmethod
    def for_need(cls, need: Need, data=None) -> NeedReviewForm:
        return cls(data, initial={"status": need.status, "tags": need.tags, "reply": need.reply})


class MunicipalitySearchForm(forms.Form):
    """The search box and sort order of the list: a NUL byte or an unknown order is refused, not sent to the database."""

    SORTS = {
        "nome": "name",
        "-nome": "-name",
        "popolazione": "population",
        "-popolazione": "-population",
        "superficie": "area_km2",
        "-superficie": "-area_km2",
    }

    # No max_length: a longer text is cut, as it always was, rather than refused.
    q = forms.CharField(label=_("Cerca un comune per nome"), required=False)
    ordina = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:100]


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Comune o titolo"), required=False, max_length=100)
    stato = forms.ChoiceField(label=_("Esito"), required=False, choices=[("", _("tutti"))] + list(NeedStatus.choices))
    tema = forms.ChoiceField(label=_("Tema"), required=False, choices=[("", _("tutti"))] + list(NeedTheme.choices))
