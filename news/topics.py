"""What news tells the subscriptions below it: the objectives one may follow, and an office's own objectives
(those its published projects serve)."""

from __future__ import annotations

from phases.models import Objective
from projects.models import Project
from psm_portal.accounts.models import Role


def objective_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {title}") for code, title in Objective.objects.in_tree_order().values_list("code", "title")]


def office_areas(user) -> list[tuple[str, str]]:
    if user.role != Role.OFFICE or not user.office_id:
        return []
    codes = (
        Objective.objects.filter(projects__in=Project.objects.published().filter(office_id=user.office_id))
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    return [("obiettivo", code) for code in codes]
