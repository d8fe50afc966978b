"""The link between projects and the objectives tree (``phases.Objective``), kept pluggable.

The objectives tree is built in another part of the portal; until it is merged, every
objective code is reported as unknown, so a file that names objectives is refused
instead of silently losing the link. When ``phases.Objective`` exists these two
functions are the only place to change (look the codes up; filter through the M2M).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _


def split_codes(text: str) -> list[str]:
    """ "A1.2; A2.1", "A1.2, A2.1" or "A1.2:::A2.1" → ["A1.2", "A2.1"]."""
    for separator in (":::", "|", ";", ","):
        text = text.replace(separator, " ")
    return [code.strip().upper() for code in text.split() if code.strip()]


def resolve_objective_codes(codes: Iterable[str]) -> tuple[list, list[str]]:
    """The objectives named by ``codes`` and one Italian error per code that names none."""
    objects: list = []
    errors = [_("obiettivo sconosciuto: «%(code)s»") % {"code": code} for code in codes]
    return objects, errors


def filter_by_objectives(queryset, objectives: list):
    """Projects serving any of ``objectives``: none until projects are linked to the objectives tree."""
    return queryset.none()
