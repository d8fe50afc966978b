"""The plan's objectives in the portal's search (``psm_portal.lib.search``): code, title and description."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from phases.models import Objective
from psm_portal.lib.search import SearchKind


def _describe(objective: Objective) -> dict:
    return {
        "title": f"{objective.code} {objective.title}",
        "url": objective.get_absolute_url(),
        "meta": objective.get_level_display(),
        "text": objective.description,
    }


OBJECTIVES = SearchKind(
    key="obiettivi",
    label=_("Obiettivi"),
    fields=("code", "title", "description"),
    queryset=lambda user: Objective.objects.only("code", "level", "title", "description"),
    describe=_describe,
)
