"""The roll-up: how far the objectives, the comuni and the whole plan have come, from the latest validated
report of each project and agenda action.

Rule (said on the page): a node's progress is the average of its projects' and actions' completion weighted by
their cost (a project's total cost, an action's budget); when any of them has no cost, the plain average of all
of them instead. A project serving two specific objectives of the same axis counts once for the axis.

Every sum is computed by the database, grouped by node: GROUP BY queries per level for the tree, two for the
108 comuni, one for the totals, whatever the number of projects. Python only adds the projects' and the actions'
sums of a node and divides them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Substr

from implementation.models import Milestone, ProgressReport
from phases.models import Objective
from projects.models import AgendaAction, FundingLine, Project

CACHE_VERSION = 1  # bump when what ``page_data`` keeps changes shape
MONEY_FIELD = DecimalField(max_digits=20, decimal_places=2)
# The weight of a report's subject: its cost, or nothing when unknown (an empty cost of 0 counts as unknown).
COST = NullIf(
    Coalesce(F("project__total_cost"), F("action__budget"), output_field=MONEY_FIELD),
    Value(Decimal("0"), output_field=MONEY_FIELD),
)


SUMS = {
    "n": (Value(1), IntegerField()),
    "missing": (Case(When(Q(_cost__isnull=True), then=Value(1)), default=Value(0)), IntegerField()),
    "cost": (F("_cost"), MONEY_FIELD),
    "weighted": (ExpressionWrapper(F("_cost") * F("percent"), output_field=MONEY_FIELD), MONEY_FIELD),
    "plain": (F("percent"), IntegerField()),
    "committed": (F("committed_total"), MONEY_FIELD),
    "paid": (F("paid_total"), MONEY_FIELD),
}


def current_reports(filters: dict | None = None) -> QuerySet:
    """The latest validated report of each project and action, narrowed by the public page's filters
    (``office`` id, ``comune`` ISTAT code, ``source`` of funding, ``progress`` state)."""
    reports = ProgressReport.objects.current().public().order_by()
    filters = filters or {}
    if office := filters.get("office"):
        reports = reports.filter(office_id=office.pk if hasattr(office, "pk") else office)
    if comune := filters.get("comune"):
        code = comune.pk if hasattr(comune, "pk") else comune
        reports = reports.filter(_in_comune(Value(code)))
    if source := filters.get("source"):
        funded = Exists(FundingLine.objects.filter(project_id=OuterRef("project_id"), source=source))
        reports = reports.filter(funded | Q(action__funding_source=source))
    if progress := filters.get("progress"):
        reports = reports.filter(progress=progress)
    return reports


def _in_comune(code) -> Q:
    """Reports on a project in the comune ``code`` (an expression), or on an action with such a project."""
    # Joins rather than nested subqueries: ``code`` may be an OuterRef to the comune two levels up.
    project_there = Project.municipalities.through.objects.filter(
        project_id=OuterRef("project_id"), municipality_id=code
    )
    action_there = AgendaAction.projects.through.objects.filter(
        agendaaction_id=OuterRef("action_id"), project__municipalities=code
    )
    return Q(Exists(project_there)) | Q(Exists(action_there))


def _sums() -> dict:
    return {name: Sum(expression, output_field=field) for name, (expression, field) in SUMS.items()}


def _grouped(rows: QuerySet, key: str) -> dict:
    """``{key value: {sum name: value}}``: one GROUP BY query over ``rows``."""
    return {row[key]: row for row in rows.values(key).annotate(**_sums()).order_by()}


@dataclass
class Rollup:
    n: int = 0
    missing: int = 0
    cost: Decimal = Decimal("0")
    weighted: Decimal = Decimal("0")
    plain: int = 0
    committed: Decimal = Decimal("0")
    paid: Decimal = Decimal("0")

    @classmethod
    def of(cls, row: dict | None) -> Rollup:
        row = row or {}
        return cls(**{name: row.get(name) or cls.__dataclass_fields__[name].default for name in SUMS})

    def __add__(self, other: Rollup) -> Rollup:
        return Rollup(**{name: getattr(self, name) + getattr(other, name) for name in SUMS})

    @property
    def weighted_by_cost(self) -> bool:
        return self.n > 0 and self.missing == 0

    @property
    def progress(self) -> Decimal | None:
        """Completion in percent (one decimal), weighted by cost when every cost is known; None with no report."""
        if not self.n:
            return None
        if self.weighted_by_cost and self.cost:
            value = Decimal(self.weighted) / Decimal(self.cost)
        else:
            value = Decimal(self.plain) / Decimal(self.n)
        return value.quantize(Decimal("0.1"))

    def _share(self, amount) -> Decimal | None:
        # A share of the cost is meaningful only when every cost is known.
        if not self.weighted_by_cost or not self.cost:
            return None
        return (Decimal(amount) * 100 / Decimal(self.cost)).quantize(Decimal("0.1"))

    @property
    def committed_share(self) -> Decimal | None:
        return self._share(self.committed)

    @property
    def paid_share(self) -> Decimal | None:
        return self._share(self.paid)


# Lengths of the sort keys ("0001", "0001.0002", "0001.0002.0003") of axes, general and specific objectives.
KEY_LENGTHS = (4, 9, 14)


def _objective_sums(reports: QuerySet) -> dict[str, Rollup]:
    """Sums per objective sort key, for the three levels: six GROUP BY queries (projects and actions per level).

    A project reaches a node through each specific objective it serves below it; only the through row with the
    smallest key under the node is kept, so that the project counts once for the node."""
    through = Project.objectives.through
    found: dict[str, Rollup] = {}
    for length in KEY_LENGTHS:
        projects = (
            reports.annotate(
                _cost=COST,
                _okey=F("project__objectives__sort_key"),
                _node=Substr(F("project__objectives__sort_key"), 1, length),
            )
            .filter(_okey__isnull=False)
            .filter(
                ~Exists(
                    through.objects.filter(
                        project_id=OuterRef("project_id"),
                        objective__sort_key__startswith=OuterRef("_node"),
                        objective__sort_key__lt=OuterRef("_okey"),
                    )
                )
            )
        )
        actions = reports.filter(action__objective__isnull=False).annotate(
            _cost=COST, _node=Substr(F("action__objective__sort_key"), 1, length)
        )
        for rows in (projects, actions):
            for key, row in _grouped(rows, "_node").items():
                found[key] = found.get(key, Rollup()) + Rollup.of(row)
    return found


def objective_tree(reports: QuerySet, sums: dict[str, Rollup] | None = None) -> list[Objective]:
    """The axes with their general and specific objectives (``tree_children``), each with its ``rollup``
    (seven queries, whatever the number of projects; one when ``sums`` were kept from ``page_data``)."""
    objectives = list(Objective.objects.in_tree_order())
    sums = _objective_sums(reports) if sums is None else sums
    by_id = {objective.pk: objective for objective in objectives}
    roots = []
    for objective in objectives:
        objective.rollup = sums.get(objective.sort_key, Rollup())
        objective.tree_children = []
    for objective in objectives:
        if objective.parent_id in by_id:
            by_id[objective.parent_id].tree_children.append(objective)
        elif objective.parent_id is None:
            roots.append(objective)
    return roots


def by_municipality(reports: QuerySet) -> dict[str, Rollup]:
    """The roll-up of each comune with at least one report (two GROUP BY queries). An action counts for a comune
    once, through the first of its projects there."""
    projects = reports.annotate(_cost=COST, _comune=F("project__municipalities__istat_code")).filter(
        _comune__isnull=False
    )
    actions = (
        reports.annotate(
            _cost=COST, _comune=F("action__projects__municipalities__istat_code"), _project=F("action__projects__pk")
        )
        .filter(_comune__isnull=False)
        .filter(
            ~Exists(
                AgendaAction.projects.through.objects.filter(
                    agendaaction_id=OuterRef("action_id"),
                    project__municipalities=OuterRef("_comune"),
                    project_id__lt=OuterRef("_project"),
                )
            )
        )
    )
    found: dict[str, Rollup] = {}
    for rows in (projects, actions):
        for key, row in _grouped(rows, "_comune").items():
            found[key] = found.get(key, Rollup()) + Rollup.of(row)
    return found


def totals(reports: QuerySet) -> Rollup:
    """The whole plan's roll-up over ``reports`` (one query)."""
    return Rollup.of(reports.annotate(_cost=COST).aggregate(**_sums()))


def timeline(reports: QuerySet, limit: int = 60) -> list[Milestone]:
    """The milestones of ``reports`` in date order, the first ``limit`` (one query)."""
    return list(
        Milestone.objects.filter(report__in=reports.values("pk"))
        .select_related("report__project", "report__action__agenda")
        .order_by("planned_on", "pk")[:limit]
    )


# What the roll-up depends on: bare aggregates, each answered from an index (or a small table) in one query.
FINGERPRINT = (
    (ProgressReport, "COUNT(*)"),  # a new report
    (ProgressReport, "MAX({reviewed_at})"),  # a validation (or a return)
    (ProgressReport, "MAX({submitted_at})"),
    (Project, "COUNT(*)"),  # projects and actions: their cost, objectives, comuni (every ORM write moves updated_at)
    (Project, "MAX({updated_at})"),
    (AgendaAction, "COUNT(*)"),
    (AgendaAction, "MAX({updated_at})"),
    (Objective, "COUNT(*)"),  # the objectives tree
    (Objective, "MAX({sort_key})"),
    (Objective, "MAX({id})"),
)


def fingerprint() -> tuple:
    """What the roll-up depends on, in one cheap query: reports (a validation or a new one), projects and actions,
    the objectives tree. Each part is a bare COUNT or MAX, which the database answers from an index rather than
    by reading the 20,000 reports (a single COUNT with two MAXes over the reports read them all: 17 ms)."""
    quote = connection.ops.quote_name
    parts = []
    for model, aggregate in FINGERPRINT:
        columns = {field.name: quote(field.column) for field in model._meta.concrete_fields}
        parts.append(f"(SELECT {aggregate.format(**columns)} FROM {quote(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(str(value) for value in cursor.fetchone())


def page_key(filters: dict) -> str:
    """The cache key of /attuazione/ for ``filters``: a digest of the data's fingerprint and the filters (one query).
    Any change of the reports, projects, actions or objectives tree gives a new key, so it shows at once."""
    return hashlib.sha1(
        repr(
            (
                CACHE_VERSION,
                fingerprint(),
                sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items()),
            )
        ).encode()
    ).hexdigest()


def page_data(filters: dict, key: str | None = None) -> dict:
    """The sums of /attuazione/ for ``filters``: per objective key, per comune, the totals and the milestones,
    kept in the cache under ``page_key`` (given, or computed) for a few minutes."""
    key = "implementation:page:" + (key or page_key(filters))
    data = cache.get(key)
    if data is None:
        reports = current_reports(filters)
        data = {
            "sums": _objective_sums(reports),
            "comuni": by_municipality(reports),
            "totals": totals(reports),
            "milestones": timeline(reports),
        }
        cache.set(key, data, timeout=settings.IMPLEMENTATION_CACHE_SECONDS)
    return data
