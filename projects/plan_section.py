"""What the portfolios give the plan documents: the objectives tree with the published projects on each
specific objective.

The tree comes from ``phases.plan_section``; this module hangs every published project on the specific
objectives it serves. Shapes in ``plan.sections``; fingerprints as in ``psm_portal.lib.plan_data``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import translation

from municipalities.models import Municipality
from phases.models import Objective
from phases.plan_section import objectives_rows, objectives_tree
from projects.models import FundingLine, Project
from psm_portal.lib.plan_data import digest, table_rows, through_rows, unavailable


def objectives_provider(kind: str) -> dict:
    """The whole tree with its indicators (two queries), then the projects on specific objectives (four)."""
    roots, specific = objectives_tree()
    if not roots:
        return unavailable()
    attach_projects(specific)
    return {"items": roots}


def attach_projects(specific: dict[int, dict]) -> None:
    """Hang every published project on the specific objectives it serves (four queries)."""
    if not specific:
        return
    projects = (
        Project.objects.published()
        .filter(objectives__in=list(specific))
        .distinct()
        .order_by("title", "pk")
        .prefetch_related(
            Prefetch("funding_lines", queryset=FundingLine.objects.order_by("source")),
            Prefetch("municipalities", queryset=Municipality.objects.only("istat_code", "name").order_by("name")),
            Prefetch("objectives", queryset=Objective.objects.filter(pk__in=list(specific)).only("pk")),
        )
    )
    # Labels (statuses, funding sources) are frozen in Italian, the language of the document.
    with translation.override("it"):
        for project in projects:
            lines = list(project.funding_lines.all())
            cost = project.total_cost if project.total_cost is not None else sum(line.amount for line in lines)
            entry = {
                "title": project.title,
                "cup": project.cup,
                "cost": str(cost),
                "funding": [{"source": str(line.get_source_display()), "amount": str(line.amount)} for line in lines],
                "municipalities": [m.name for m in project.municipalities.all()],
                "status": str(project.get_status_display()),
            }
            for objective in project.objectives.all():
                specific[objective.pk]["projects"].append(entry)


def objectives_fingerprint(kind: str) -> str:
    """The tree, its indicators, the projects with their funding, comuni and objectives.

    The comuni's names printed beside each project are in the ``municipalities`` section's fingerprint.
    """
    return digest(
        [
            *objectives_rows(),
            table_rows(Project.objects.all()),
            table_rows(FundingLine.objects.all()),
            through_rows(Project._meta.get_field("municipalities")),
            through_rows(Project._meta.get_field("objectives")),
        ]
    )
