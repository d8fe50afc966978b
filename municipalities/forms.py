"""The forms of the comuni: the search box and sort order of their list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
