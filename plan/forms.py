"""The forms of the plan documents: which document to prepare, a comment on the draft, the team's reply."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from plan.models import DraftSection, PlanKind
from psm_portal.lib.params import as_int


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
