"""The sections of the annual implementation report ("Relazione annuale di attuazione"), a kind of plan document
rendered by ``plan``'s machinery: ``plan.sections`` lists ``annual_provider`` and ``annual_fingerprint`` for the
``annual`` kind.

The report is about the latest year in which the team validated a report (the current year before the first
one): the roll-up of the objectives tree from the latest validated report of each project and action (progress
and funds, by axis), the milestones planned or reached in the year, the indicators' measured values and the
reports validated in the year, counted by cycle and by office. A constant number of queries, whatever the data.
Money is a decimal string, progress a decimal string or None, dates ISO strings.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from implementation.indicators import series, with_values
from implementation.models import IndicatorValue, Milestone, ProgressReport
from implementation.rollup import Rollup, current_reports, fingerprint, objective_tree, totals
from phases.models import Indicator, Objective
from psm_portal.lib.plan_data import unavailable


def report_year() -> int:
    """The year the report is about: the latest with a validated report, else the current one (one query)."""
    last = ProgressReport.objects.validated().aggregate(last=Max("reviewed_at"))["last"]
    return timezone.localtime(last).year if last else timezone.localdate().year


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def _share(value) -> str | None:
    return None if value is None else str(value)


def _rollup(rollup: Rollup) -> dict:
    return {
        "n": rollup.n,
        "progress": _share(rollup.progress),
        "weighted": rollup.weighted_by_cost,
        "cost": _money(rollup.cost),
        "committed": _money(rollup.committed),
        "paid": _money(rollup.paid),
        "committed_share": _share(rollup.committed_share),
        "paid_share": _share(rollup.paid_share),
    }


def _node(objective: Objective) -> dict:
    return {"code": objective.code, "level": objective.level, "title": objective.title, **_rollup(objective.rollup)}


def _descendants(objective: Objective):
    for child in objective.tree_children:
        yield child
        yield from _descendants(child)


def _axes(reports) -> list[dict]:
    return [{**_node(axis), "rows": [_node(child) for child in _descendants(axis)]} for axis in objective_tree(reports)]


def _subject(report: ProgressReport) -> str:
    if report.project_id:
        return report.project.title
    return f"{report.action.code} {report.action.title}"


def _milestones(reports, year: int) -> list[dict]:
    """The milestones of the latest validated reports planned or reached in ``year``, in date order (one query)."""
    milestones = (
        Milestone.objects.filter(report__in=reports.values("pk"))
        .filter(Q(planned_on__year=year) | Q(achieved_on__year=year))
        .select_related("report__project", "report__action__agenda", "report__office")
        .order_by("planned_on", "pk")
    )
    return [
        {
            "title": milestone.title,
            "subject": _subject(milestone.report),
            "office": milestone.report.office.name,
            "planned_on": milestone.planned_on.isoformat(),
            "achieved_on": milestone.achieved_on.isoformat() if milestone.achieved_on else "",
        }
        for milestone in milestones
    ]


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _indicators() -> list[dict]:
    """Every indicator with at least one measured value, with its chart data (two queries)."""
    indicators = with_values(
        Indicator.objects.filter(Exists(IndicatorValue.objects.filter(indicator=OuterRef("pk"))))
        .select_related("objective")
        .order_by("objective__sort_key", "order", "pk")
    )
    items = []
    for indicator in indicators:
        chart = series(indicator)
        chart["rows"] = [{key: _plain(value) for key, value in row.items()} for row in chart["rows"]]
        items.append(
            {
                "objective": indicator.objective.code,
                "objective_title": indicator.objective.title,
                "name": indicator.name,
                "unit": indicator.unit,
                "chart": chart,
            }
        )
    return items


def _validated_in(year: int) -> dict:
    """The reports validated in ``year``: how many, by cycle and by office (three queries)."""
    validated = ProgressReport.objects.public().filter(reviewed_at__year=year)
    by_cycle = (
        validated.values("cycle__title", "cycle__opens_on")
        .annotate(n=Count("pk"), projects=Count("project", distinct=True), actions=Count("action", distinct=True))
        .order_by("cycle__opens_on", "cycle__title")
    )
    by_office = (
        validated.values("office__name")
        .annotate(n=Count("pk"), projects=Count("project", distinct=True), actions=Count("action", distinct=True))
        .order_by("office__name")
    )
    return {
        "count": validated.count(),
        "by_cycle": [
            {"cycle": row["cycle__title"], "n": row["n"], "projects": row["projects"], "actions": row["actions"]}
            for row in by_cycle
        ],
        "by_office": [
            {"office": row["office__name"], "n": row["n"], "projects": row["projects"], "actions": row["actions"]}
            for row in by_office
        ],
    }


def annual_provider(kind: str) -> dict:
    """The data of the annual implementation report (about fifteen queries, whatever the number of projects)."""
    if not ProgressReport.objects.validated().exists():
        return unavailable(_("Nessuna rilevazione dell'avanzamento è stata ancora validata."))
    year = report_year()
    reports = current_reports()
    return {
        "year": year,
        "totals": _rollup(totals(reports)),
        "axes": _axes(reports),
        "milestones": _milestones(reports, year),
        "indicators": _indicators(),
        "validated": _validated_in(year),
    }


def annual_fingerprint(kind: str) -> str:
    """Changes whenever the report's data may: reports, projects, actions, objectives, indicators and their values
    (six queries)."""
    objectives = Objective.objects.aggregate(n=Count("pk"), keys=Max("sort_key"), last=Max("pk"))
    indicators = Indicator.objects.aggregate(n=Count("pk"), last=Max("pk"))
    values = IndicatorValue.objects.aggregate(n=Count("pk"), last=Max("entered_at"))
    parts = (fingerprint(), objectives, indicators, values, timezone.localdate().year)
    return hashlib.sha256(repr(parts).encode()).hexdigest()
