"""The public agenda's reads: a year's public version, its actions passing the filters (office, objective,
comune, quarter), their count and budget in one query, and the open-data rows of every public version."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.urls import reverse

from projects.models import Agenda, AgendaActionQuerySet

# Years an address may name: anything else is answered 404 without asking the database.
YEARS = range(2000, 2101)


def public_agenda(year: int) -> Agenda | None:
    if year not in YEARS:
        return None
    return Agenda.objects.for_year(year).public()


def filtered_actions(agenda: Agenda, filters: Mapping) -> AgendaActionQuerySet:
    """The actions of ``agenda`` that pass the filter form's valid ``filters``."""
    actions = agenda.actions.all()
    if filters.get("ufficio"):
        actions = actions.of_office(filters["ufficio"])
    if filters.get("obiettivo"):
        actions = actions.serving(filters["obiettivo"])
    if filters.get("comune"):
        actions = actions.for_municipality(filters["comune"])
    if filters.get("trimestre"):
        actions = actions.in_quarter(filters["trimestre"])
    return actions


def totals(actions: AgendaActionQuerySet) -> dict:
    """How many actions and their budget, in one query."""
    found = actions.order_by().aggregate(n=Count("pk"), budget=Sum("budget"))
    return {"n": found["n"], "budget": found["budget"] or Decimal("0")}


HEADER = [
    "year",
    "version",
    "agenda_status",
    "approved_by_act",
    "code",
    "position",
    "title",
    "description",
    "objective_code",
    "responsible_office_code",
    "responsible_office",
    "contributing_offices",
    "project_cups",
    "project_ids",
    "municipalities_istat",
    "start_quarter",
    "due_quarter",
    "budget",
    "funding_source",
    "expected_output",
    "indicator",
    "status",
    "url",
]


def public_versions() -> list[Agenda]:
    """Each year's public version (approved, or else the latest submitted), oldest year first."""
    return [agenda for year in reversed(Agenda.objects.public_years()) if (agenda := public_agenda(year))]


def csv_rows() -> Iterator[list]:
    """One row per action of every public version; lists joined by ``;``; amounts as plain decimals."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for agenda in public_versions():
        url = base + reverse("projects:agenda_year", args=[agenda.year])
        for action in agenda.actions.for_listing().in_order():
            projects = list(action.projects.all())
            yield [
                agenda.year,
                agenda.version,
                agenda.status,
                agenda.approved_by_act,
                action.code,
                action.position,
                action.title,
                action.description,
                action.objective.code if action.objective_id else "",
                action.responsible_office.code,
                action.responsible_office.name,
                ";".join(office.code for office in action.contributing_offices.all()),
                ";".join(project.cup for project in projects if project.cup),
                ";".join(str(project.pk) for project in projects),
                ";".join(sorted({m.istat_code for project in projects for m in project.municipalities.all()})),
                action.start_quarter,
                action.due_quarter,
                action.budget,
                action.funding_source,
                action.expected_output,
                action.indicator,
                action.status,
                url,
            ]
