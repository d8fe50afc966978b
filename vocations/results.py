"""Reading a round's answers: the comuni's scores per vocation, averages and rankings per area, the priorities
named, and the coverage of who has answered. A fixed number of GROUP BY queries whatever the number of answers;
Python only divides and sorts. ``chart`` gives plain data for the shared SVG bar chart (``surveys/_chart.svg``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from municipalities.maps import SEQUENTIAL, LegendItem
from phases.coverage import ANSWERED, NOT_YET, STATE_LABELS
from psm_portal.lib.money import format_number
from vocations.models import Answer, Rating, Round

BAR_WIDTH = 820
ROW_HEIGHT = 48
# Relevance 1–5 on the map: the portal's sequential blues, one class per score (none given: the neutral grey).
SCORE_FILLS = {score: SEQUENTIAL[score - 1] for score in range(1, 6)}


def score_legend() -> list[LegendItem]:
    from municipalities.maps import DEFAULT_FILL

    return [LegendItem(DEFAULT_FILL, _("nessuna risposta"))] + [
        LegendItem(colour, _("rilevanza %(n)s") % {"n": score}) for score, colour in SCORE_FILLS.items()
    ]


@dataclass
class AreaRow:
    area: object
    answers: int = 0
    average: float | None = None
    priorities: int = 0
    rank: int | None = None


@dataclass
class VocationSummary:
    vocation: object
    answers: int = 0
    average: float | None = None
    priorities: int = 0
    areas: list[AreaRow] = field(default_factory=list)


def _ratings(round_: Round):
    """The ratings given for comuni (offices' answers are read apart: a comune speaks for its territory)."""
    return Rating.objects.filter(answer__round=round_, answer__municipality__isnull=False)


def summaries(round_: Round, vocations: list) -> list[VocationSummary]:
    """Per vocation: comuni that rated it, their average and how many named it a priority. One query."""
    rows = {
        r["vocation_id"]: r
        for r in _ratings(round_)
        .values("vocation_id")
        .annotate(n=Count("id"), avg=Avg("score"), prio=Count("id", filter=Q(priority=True)))
    }
    result = []
    for vocation in vocations:
        row = rows.get(vocation.pk, {})
        result.append(
            VocationSummary(
                vocation,
                answers=row.get("n", 0),
                average=round(float(row["avg"]), 2) if row.get("avg") is not None else None,
                priorities=row.get("prio", 0),
            )
        )
    return result


def area_table(round_: Round, vocation, areas: list) -> list[AreaRow]:
    """Per area, for one vocation: answers, average, priorities and the area's rank (highest average first).
    One query."""
    rows = {
        r["answer__municipality__area_id"]: r
        for r in _ratings(round_)
        .filter(vocation=vocation)
        .values("answer__municipality__area_id")
        .annotate(n=Count("id"), avg=Avg("score"), prio=Count("id", filter=Q(priority=True)))
    }
    table = []
    for area in areas:
        row = rows.get(area.pk, {})
        average = round(float(row["avg"]), 2) if row.get("avg") is not None else None
        table.append(AreaRow(area, answers=row.get("n", 0), average=average, priorities=row.get("prio", 0)))
    ranked = sorted((r for r in table if r.average is not None), key=lambda r: -r.average)
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
    return table


def rankings_by_area(round_: Round, vocations: list, areas: list) -> list[dict]:
    """Per area, the vocations from the highest average to the lowest. One query."""
    names = {v.pk: v for v in vocations}
    per_area: dict[int, list] = defaultdict(list)
    for r in (
        _ratings(round_)
        .values("answer__municipality__area_id", "vocation_id")
        .annotate(avg=Avg("score"), prio=Count("id", filter=Q(priority=True)))
    ):
        if r["vocation_id"] in names:
            per_area[r["answer__municipality__area_id"]].append(
                {"vocation": names[r["vocation_id"]], "average": round(float(r["avg"]), 2), "priorities": r["prio"]}
            )
    return [
        {"area": area, "ranking": sorted(per_area.get(area.pk, []), key=lambda x: (-x["average"], -x["priorities"]))}
        for area in areas
    ]


def municipality_scores(round_: Round, vocation) -> dict[str, tuple[int, bool, str]]:
    """ISTAT code → (score, priority, reason) of each comune that rated the vocation. One query."""
    return {
        code: (score, priority, reason)
        for code, score, priority, reason in _ratings(round_)
        .filter(vocation=vocation)
        .values_list("answer__municipality_id", "score", "priority", "reason")
    }


def score_fills(scores: dict[str, tuple]) -> dict[str, str]:
    return {code: SCORE_FILLS[values[0]] for code, values in scores.items()}


def chart(dom_id: str, title: str, description: str, items: list[tuple[str, float | None]], top: float = 5) -> dict:
    """Data for ``surveys/_chart.svg``: one bar per item, its value written beside it."""
    rows = []
    for index, (label, value) in enumerate(items):
        rows.append(
            {
                "label": str(label),
                "width": round(BAR_WIDTH * float(value or 0) / (top or 1), 1),
                "y": index * ROW_HEIGHT,
                "extra": format_number(value, 2) if value is not None else "—",
                "count": 0,
                "percent": 0.0,
            }
        )
    return {
        "chart": "ranking",  # the shared chart writes each row's ``extra`` (here the value) beside the bar
        "id": dom_id,
        "title": title,
        "description": description,
        "height": ROW_HEIGHT * len(rows) + 4,
        "drawn": len(rows),
        "rows": rows,
    }


# --- Coverage (the positions' states, shared with the Vision's dashboard) ------------------------------------------


def coverage(round_: Round, municipalities: list, offices: list) -> dict:
    """Who has answered the round: each comune's and office's state (answered / not yet) with the Vision
    dashboard's labels and colours. Two queries."""
    answered = set(Answer.objects.filter(round=round_).of_municipalities().values_list("municipality_id", flat=True))
    offices_answered = set(
        Answer.objects.filter(round=round_, office__isnull=False).values_list("office_id", flat=True)
    )
    states = {m.istat_code: ANSWERED if m.istat_code in answered else NOT_YET for m in municipalities}
    return {
        "states": states,
        "rows": [
            {"municipality": m, "state": states[m.istat_code], "label": STATE_LABELS[states[m.istat_code]]}
            for m in municipalities
        ],
        "offices": [
            {"office": o, "label": STATE_LABELS[ANSWERED if o.pk in offices_answered else NOT_YET]} for o in offices
        ],
        "answered": len(answered),
    }
