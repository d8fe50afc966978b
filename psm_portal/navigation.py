"""The main menu and the reserved-area sections, declared in one place.

An entry whose page does not exist yet (a later part of the portal) is left out
of the menu instead of leading to an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_names: tuple[str, ...]  # the first that resolves wins
    section: str  # the first path segment it covers, for the active state
    fallback: tuple[str, str] | None = None  # (url name, anchor) until the page exists


MAIN_MENU = [
    MenuItem(_("Il processo"), ("phases:timeline",), "fasi", fallback=("home", "#processo")),
    MenuItem(_("Visione"), ("phases:vision",), "visione"),
    MenuItem(_("Questionario"), ("surveys:list",), "questionario"),
    MenuItem(_("Progetti"), ("projects:catalogue",), "progetti"),
    MenuItem(_("Comuni"), ("municipalities:list",), "comuni"),
    MenuItem(_("Piano"), ("phases:plan",), "piano"),
]


def resolve_first(url_names: tuple[str, ...]) -> str | None:
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def main_menu(path: str) -> list[dict]:
    items = []
    for item in MAIN_MENU:
        url = resolve_first(item.url_names)
        if url is None and item.fallback:
            url = reverse(item.fallback[0]) + item.fallback[1]
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "active": f"/{item.section}/" in path})
    return items
