"""The implementation sections of a comune's page and of a project's page (registered by
``ImplementationConfig.ready``); each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from implementation.models import Milestone, ProgressReport
from implementation.rollup import current_reports, totals

LIMIT = 10


def municipality_implementation(municipality, user) -> dict | None:
    """The comune's roll-up and its latest validated reports (two queries); nothing before the first report."""
    reports = current_reports({"comune": municipality})
    summary = totals(reports)
    if not summary.n:
        return None
    latest = reports.select_related("cycle", "project", "action__agenda", "office").order_by("-submitted_at", "-pk")[
        :LIMIT
    ]
    return {
        "template": "implementation/_municipality_section.html",
        "municipality": municipality,
        "summary": summary,
        "reports": list(latest),
    }


def project_reports(project, user) -> dict | None:
    """The project's validated reports, newest first, with milestones and money by source (three queries)."""
    reports = list(
        ProgressReport.objects.public()
        .filter(project=project)
        .select_related("cycle")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "pk")), "funding")
        .order_by("-cycle__opens_on", "-submitted_at")
    )
    if not reports:
        return None
    return {"template": "implementation/_project_section.html", "project": project, "reports": reports}
