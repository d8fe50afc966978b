"""The roll-up: how far the objectives, the comuni and the whole plan have come, from the latest validated
report of each project and agenda action.

Rule (said on the page): a node's progress is the average of its projects' and actions' completion weighted by
their cost (a project's total cost, an action's budget); when any of them has no cost, the plain average of all
of them instead. A project serving two specific objectives of the same axis counts once for the axis.

Every sum is computed by the database: one query for the whole tree (a correlated subquery per sum and
objective), one for the 108 comuni, one for the totals. Python only divides the sums of each node.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from implementation.models import Milestone, ProgressReport
from municipalities.models import Municipality
from phases.models import Objective
from projects.models import AgendaAction, FundingLine, Project

MONEY_FIELD = DecimalField(max_digits=20, decimal_places=2)
# The weight of a report's subject: its cost, or nothing when unknown (an empty cost of 0 counts as unknown).
COST = NullIf(
    Coalesce(F("project__total_cost"), F("action__budget"), output_field=MONEY_FIELD),
    Value(Decimal("0"), output_field=MONEY_FIELD),
)


def _sum(expression, output_field) -> Func:
    # A plain SQL SUM(...) over the whole filtered set: no GROUP BY, one row, usable as a correlated subquery.
    return Func(expression, function="SUM", output_field=output_field)


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


def _serving_node() -> Q:
    """Reports on a subject serving the outer objective or any objective below it (sort keys are paths)."""
    through = Project.objectives.through
    serves = Exists(
        through.objects.filter(
            project_id=OuterRef("project_id"), objective__sort_key__startswith=OuterRef(OuterRef("sort_key"))
        )
    )
    return Q(serves) | Q(action__objective__sort_key__startswith=OuterRef("sort_key"))


def _annotations(reports: QuerySet, condition: Q) -> dict:
    scoped = reports.filter(condition).annotate(_cost=COST)
    return {
        name: Subquery(scoped.annotate(_v=_sum(expression, field)).values("_v")[:1], output_field=field)
        for name, (expression, field) in SUMS.items()
    }


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
    def of(cls, row) -> Rollup:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(**{name: get(name) or cls.__dataclass_fields__[name].default for name in SUMS})

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


def objective_tree(reports: QuerySet) -> list[Objective]:
    """The axes with their general and specific objectives (``tree_children``), each with its ``rollup``
    (one query)."""
    objectives = list(Objective.objects.in_tree_order().annotate(**_annotations(reports, _serving_node())))
    by_id = {objective.pk: objective for objective in objectives}
    roots = []
    for objective in objectives:
        objective.rollup = Rollup.of(objective)
        objective.tree_children = []
    for objective in objectives:
        if objective.parent_id in by_id:
            by_id[objective.parent_id].tree_children.append(objective)
        elif objective.parent_id is None:
            roots.append(objective)
    return roots


def by_municipality(reports: QuerySet) -> dict[str, Rollup]:
    """The roll-up of each comune with at least one report (one query over the 108)."""
    rows = Municipality.objects.order_by().annotate(**_annotations(reports, _in_comune(OuterRef(OuterRef("pk")))))
    return {row.pk: Rollup.of(row) for row in rows.only("pk") if row.n}


def totals(reports: QuerySet) -> Rollup:
    """The whole plan's roll-up over ``reports`` (one query)."""
    scoped = reports.annotate(_cost=COST)
    return Rollup.of(
        scoped.aggregate(**{name: Sum(expression, output_field=field) for name, (expression, field) in SUMS.items()})
    )


def timeline(reports: QuerySet, limit: int = 60) -> list[Milestone]:
    """The milestones of ``reports`` in date order, the first ``limit`` (one query)."""
    return list(
        Milestone.objects.filter(report__in=reports.values("pk"))
        .select_related("report__project", "report__action__agenda")
        .order_by("planned_on", "pk")[:limit]
    )
