"""The link between projects and the objectives tree (``phases.Objective``).

A project serves specific objectives (level 3, e.g. ``A1.2``); axes and general objectives are
reached through them. Codes come from files, the catalogue's filter and the edit form.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from phases.models import Objective, ObjectiveLevel


def split_codes(text: str) -> list[str]:
    """ "A1.2; A2.1", "A1.2, A2.1" or "A1.2:::A2.1" → ["A1.2", "A2.1"]."""
    for separator in (":::", "|", ";", ","):
        text = text.replace(separator, " ")
    return [code.strip().upper() for code in text.split() if code.strip()]


def specific_objectives():
    """The objectives a project may serve, in the tree's order."""
    return Objective.objects.filter(level=ObjectiveLevel.SPECIFIC).order_by("sort_key")


class ObjectiveIndex:
    """Objectives by code, loaded once: an import resolves thousands of rows without a query each."""

    def __init__(self, objectives: Iterable[Objective]):
        self.by_code = {objective.code.upper(): objective for objective in objectives}

    @classmethod
    def load(cls, codes: Iterable[str] | None = None) -> ObjectiveIndex:
        queryset = Objective.objects.only("pk", "code", "level", "title", "sort_key")
        if codes is not None:
            queryset = queryset.filter(code__in=[code.upper() for code in codes])
        return cls(queryset)

    def resolve(self, codes: Iterable[str]) -> tuple[list[Objective], list[str]]:
        """The specific objectives named by ``codes`` (no repeats, in the given order) and one Italian
        error per code that names none or names an axis or a general objective."""
        found: list[Objective] = []
        errors: list[str] = []
        for code in codes:
            objective = self.by_code.get(code.upper())
            if objective is None:
                errors.append(_("obiettivo sconosciuto: «%(code)s»") % {"code": code})
            elif objective.level != ObjectiveLevel.SPECIFIC:
                errors.append(
                    _("«%(code)s» non è un obiettivo specifico: indica un codice come %(example)s")
                    % {"code": code, "example": _example_code(objective)}
                )
            elif objective not in found:
                found.append(objective)
        return found, errors


def _example_code(objective: Objective) -> str:
    """ "A1" → "A1.1", "A" → "A1.1": the shape of a specific objective's code below the one given."""
    if objective.level == ObjectiveLevel.GENERAL:
        return f"{objective.code}.1"
    return f"{objective.code}1.1"


def resolve_objective_codes(codes: Iterable[str]) -> tuple[list[Objective], list[str]]:
    """The specific objectives named by ``codes`` (one query) and one Italian error per bad code."""
    codes = list(codes)
    if not codes:
        return [], []
    return ObjectiveIndex.load(codes).resolve(codes)
