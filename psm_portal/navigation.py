"""The main menu, declared in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    section: str  # the first path segment it covers, for the active state


MAIN_MENU = [
    MenuItem(_("Il processo"), "phases:timeline", "fasi"),
    MenuItem(_("Visione"), "phases:vision", "visione"),
    MenuItem(_("Questionario"), "surveys:list", "questionario"),
    MenuItem(_("Progetti"), "projects:catalogue", "progetti"),
    MenuItem(_("Comuni"), "municipalities:list", "comuni"),
    MenuItem(_("Piano"), "plan:list", "piano"),
]


def section_of(path: str) -> str:
    """The first segment of the path after the language prefix: "comuni" for /en/comuni/083048/."""
    segments = [segment for segment in path.split("/") if segment]
    if segments and segments[0] == get_language_from_path(path):
        segments = segments[1:]
    return segments[0] if segments else ""


def main_menu(path: str) -> list[dict]:
    # The first segment only: /area-riservata/fasi/ is not the public "Il processo".
    section = section_of(path)
    return [
        {"label": item.label, "url": reverse(item.url_name), "active": item.section == section} for item in MAIN_MENU
    ]
