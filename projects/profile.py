"""The projects section of a municipality's page (registered in ``municipalities.profile``)."""

from __future__ import annotations

from django.db.models import Count, F, Sum

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
