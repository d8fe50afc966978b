"""Who has answered a review: reads for the coverage dashboard, the reminders and the open data.

Every function here costs a fixed number of queries, whatever the number of positions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from municipalities.models import MUNICIPALITY_COUNT, Municipality
from phases.models import Objective, Position, Stance, VisionVersion
from phases.reviews import review_kind
from psm_portal.accounts.models import Office

ANSWERED = "answered"
PARTIAL = "partial"
NOT_YET = "none"
STATE_LABELS = {ANSWERED: _("ha risposto"), PARTIAL: _("in parte"), NOT_YET: _("non ancora")}
# Colour-blind safe: blue, orange, grey (each with a text label in the legend and the table).
STATE_PALETTE = {
    ANSWERED: ("#0066cc", _("ha risposto (Visione e tutti gli obiettivi generali)")),
    PARTIAL: ("#e6a100", _("ha risposto in parte")),
    NOT_YET: ("#d9dadb", _("non ha ancora risposto")),
}


def expected_answers(version: VisionVersion | None = None) -> int:
    """One position on the Vision plus one per general objective; one on the whole text for a document reviewed
    without objectives (``phases.reviews``)."""
    if version is not None and not review_kind(version.kind).objectives:
        return 1
    return 1 + Objective.objects.general().count()


def state_for(count: int, expected: int) -> str:
    if count >= expected:
        return ANSWERED
    return PARTIAL if count else NOT_YET


def municipality_counts(version: VisionVersion) -> dict[str, int]:
    """ISTAT code → number of positions, for the municipalities that gave at least one."""
    return dict(
        Position.objects.for_version(version)
        .filter(municipality__isnull=False)
        .values_list("municipality_id")
        .annotate(n=Count("id"))
    )


def municipality_states(
    version: VisionVersion,
    expected: int | None = None,
    *,
    counts: dict[str, int] | None = None,
    codes: Iterable[str] | None = None,
) -> dict[str, str]:
    """ISTAT code → state of every municipality (none given yet = not yet).

    A caller that has already read the counts or the municipalities passes them, and they are not read again.
    """
    expected = expected or expected_answers(version)
    counts = municipality_counts(version) if counts is None else counts
    codes = Municipality.objects.values_list("istat_code", flat=True) if codes is None else codes
    return {code: state_for(counts.get(code, 0), expected) for code in codes}


def office_rows(version: VisionVersion, expected: int) -> list[dict]:
    counts = dict(
        Position.objects.for_version(version)
        .filter(office__isnull=False)
        .values_list("office_id")
        .annotate(n=Count("id"))
    )
    return [
        {"office": office, "count": counts.get(office.pk, 0), "state": state_for(counts.get(office.pk, 0), expected)}
        for office in Office.objects.order_by("name")
    ]


def totals_per_target(version: VisionVersion) -> dict[int | None, Counter]:
    """Objective id (None = the Vision) → Counter of stances."""
    totals: dict[int | None, Counter] = defaultdict(Counter)
    rows = Position.objects.for_version(version).values_list("objective_id", "stance").annotate(n=Count("id"))
    for objective_id, stance, n in rows:
        totals[objective_id][stance] = n
    return totals


def totals_table(version: VisionVersion, general: list[Objective]) -> list[dict]:
    totals = totals_per_target(version)
    targets = [(None, _("Visione nel suo insieme"))] + [(o.pk, f"{o.code} {o.title}") for o in general]
    return [
        {
            "label": label,
            "stances": [totals[pk].get(stance, 0) for stance in Stance.values],
            "total": sum(totals[pk].values()),
        }
        for pk, label in targets
    ]


def live_participation(version: VisionVersion, *, objective: Objective | None = None) -> dict:
    """How many comuni and offices have given a position in a review still open (on ``objective``, or on anything
    when it is None), out of how many: the public sees participation grow, never the stances, which stay private
    until the review closes. Two queries."""
    positions = Position.objects.for_version(version)
    if objective is not None:
        positions = positions.filter(objective=objective)
    counts = positions.aggregate(comuni=Count("municipality", distinct=True), offices=Count("office", distinct=True))
    return {
        "version": version,
        "comuni": counts["comuni"],
        "offices": counts["offices"],
        "total_comuni": MUNICIPALITY_COUNT,
        "total_offices": Office.objects.count(),
    }
