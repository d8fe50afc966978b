"""The projects sections of a comune's page and of an objective's page (registered by ``ProjectsConfig.ready``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum

from phases.models import Objective, ObjectiveLevel
from projects.models import Project

LIMIT = 10


def municipality_projects(municipality, user) -> dict:
    """Published projects that concern the municipality: the first ten, their count and cost (3 queries)."""
    projects = Project.objects.published().for_municipality(municipality)
    summary = projects.aggregate(n=Count("pk"), cost=Sum("total_cost"))
    return {
        "template": "projects/_municipality_section.html",
        "municipality": municipality,
        "projects": list(
            projects.select_related("office").order_by(F("total_cost").desc(nulls_last=True), "title")[:LIMIT]
        )
        if summary["n"]
        else [],
        "count": summary["n"],
        "cost": summary["cost"],
        "whole_area_count": Project.objects.published().filter(whole_area=True).count(),
    }


def objective_projects(objective: Objective, request) -> dict:
    """Published projects serving the objective or, for an axis or a general objective, any specific
    objective below it (drafts never: the page is public), twenty a page (two queries)."""
    served = Objective.objects.filter(level=ObjectiveLevel.SPECIFIC).filter(
        Q(pk=objective.pk) | Q(sort_key__startswith=f"{objective.sort_key}.")
    )
    projects = (
        Project.objects.published()
        .serving(served)
        .select_related("office")
        .only("pk", "title", "cup", "status", "total_cost", "office__name")
        .order_by("title", "pk")
    )
    return {
        "template": "projects/_objective_section.html",
        "objective": objective,
        "projects": Paginator(projects, 20).get_page(request.GET.get("pagina")),
    }
