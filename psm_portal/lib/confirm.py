"""Irreversible acts are confirmed on a page of their own, which works without JavaScript.

A view that performs such an act (closing a phase or a review, adopting or publishing a version,
recording a deliberation…) asks ``confirmed(request)`` first: the button on the page that leads to
the act posts to the view *without* the confirmation field, so the view answers with
``confirmation_page(...)`` — what will happen, who will be told, the button that does it and a way
back — and changes nothing; the confirmation page posts to the same address with the field set and
the same carried values, and only then does the view act.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render

FIELD = "conferma"


def confirmed(request) -> bool:
    """True only for a POST that comes from the confirmation page."""
    return request.method == "POST" and request.POST.get(FIELD) == "1"


@dataclass(frozen=True)
class Confirmation:
    title: str  # the act, as a question or a heading: «Chiudere ora la fase "Ascolto"?»
    consequences: list[str]  # what will happen, one sentence each, in the order they happen
    button: str  # the label of the button that does it: «Chiudi la fase»
    cancel_url: str  # where «Annulla» goes back to, changing nothing
    told: list[str] = field(default_factory=list)  # who will be told, and how («i 108 sindaci, per e-mail»)
    carried: dict[str, str] = field(default_factory=dict)  # the form's values, posted again with the confirmation
    danger: bool = True  # the button's look: red for acts that cannot be undone


def confirmation_page(request, confirmation: Confirmation, *, action: str | None = None) -> HttpResponse:
    """The page that asks to confirm ``confirmation``; it posts back to ``action`` (default: this address)."""
    return render(
        request,
        "_confirm.html",
        {"confirmation": confirmation, "action": action or request.path, "field": FIELD},
    )
