"""The form of an informative page: its title and its text, sanitised before it is stored."""

from __future__ import annotations

from django import forms

from psm_portal.lib.html import sanitize_html
from psm_portal.pages.models import SitePage


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data["body"])
