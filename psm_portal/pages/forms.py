"""The form of an informative page (its title and its text, sanitised before it is stored) and the search form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.html import sanitize_html
from psm_portal.lib.search import MAX_QUERY_LENGTH, MIN_WORD_LENGTH, words
from psm_portal.pages.models import SitePage


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data["body"])


class SearchForm(forms.Form):
    """What is searched on ``/cerca/``: some words, and optionally one kind of results (``tipo``)."""

    q = forms.CharField(label=_("Cerca nel portale"), required=False, max_length=MAX_QUERY_LENGTH, strip=True)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if not text:
            raise forms.ValidationError(_("Scrivi una o più parole da cercare."))
        if not words(text):
            raise forms.ValidationError(
                _("Scrivi almeno una parola di %(n)s o più lettere o cifre.") % {"n": MIN_WORD_LENGTH}
            )
        return text

    @property
    def terms(self) -> list[str]:
        return words(self.cleaned_data["q"])
