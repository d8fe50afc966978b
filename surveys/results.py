"""Results of a questionnaire, aggregated in SQL: a fixed number of GROUP BY queries whatever the
number of responses, then SVG charts each with its title, description and table of numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min
from django.utils.translation import gettext as _

from municipalities.maps import MunicipalityMap, choropleth
from municipalities.models import Municipality
from psm_portal.lib.money import format_number
from surveys.answers import Structure
from surveys.models import OPEN_KINDS, Answer, Kind, Question, Questionnaire, Response

BAR_WIDTH = 820  # SVG units of the longest bar (the chart is 1000 wide)
ROW_HEIGHT = 48
CHART_ROWS = 12  # the longest lists (municipalities) chart their first rows; the table has all


@dataclass
class Row:
    label: str
    count: int
    percent: float
    extra: str = ""  # average rank, for rankings, formatted
    average_rank: float | None = None
    width: float = 0.0  # bar length in SVG units
    y: int = 0  # top of the row in the chart


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    rows: list[Row] = field(default_factory=list)
    average: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    chart: str = ""  # "bars", "likert", "ranking", "number", "open"
    open_answers: list[str] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"grafico-{self.question.pk}"

    @property
    def chart_rows(self) -> list[Row]:
        rows = self.rows[:CHART_ROWS]
        for index, row in enumerate(rows):
            row.y = index * ROW_HEIGHT
        return rows

    @property
    def chart_height(self) -> int:
        return ROW_HEIGHT * len(self.rows[:CHART_ROWS]) + 4

    @property
    def is_truncated(self) -> bool:
        return len(self.rows) > CHART_ROWS

    @property
    def description(self) -> str:
        if self.chart == "ranking":
            return _(
                "Per ogni voce, posizione media assegnata da chi l'ha messa in classifica (1 = prima): barre più "
                "lunghe, voci messe più in alto. %(n)s persone hanno risposto."
            ) % {"n": format_number(self.respondents)}
        if self.chart == "likert":
            return _("Distribuzione delle risposte sulla scala da 1 a 5; media %(avg)s su %(n)s risposte.") % {
                "avg": format_number(self.average or 0, 2),
                "n": format_number(self.respondents),
            }
        return _("Numero e percentuale di persone per ogni risposta, su %(n)s che hanno risposto.") % {
            "n": format_number(self.respondents)
        }


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _bars(rows: list[Row], value=lambda r: r.percent) -> list[Row]:
    top = max((value(r) for r in rows), default=0) or 1
    for row in rows:
        row.width = round(BAR_WIDTH * value(row) / top, 1)
    return rows


def compute(
    questionnaire: Questionnaire,
    *,
    structure: Structure | None = None,
    municipality: str = "",
    age_band: int | None = None,
    include_open: bool = False,
    open_limit: int = 50,
) -> dict:
    """Counts per question for the responses matching the filters. About eight queries in all."""
    structure = structure or Structure.load(questionnaire)
    responses = Response.objects.filter(questionnaire=questionnaire).filtered(
        municipality=municipality, age_band=age_band
    )
    filtered = bool(municipality or age_band)
    answers = Answer.objects.filter(question__in=list(structure.questions))
    if filtered:
        answers = answers.filter(response__in=responses.values("pk"))
    total = responses.count()
    questions = structure.ordered_questions()
    by_kind: dict[str, list[int]] = defaultdict(list)
    for q in questions:
        by_kind[q.kind].append(q.pk)

    option_counts: dict[tuple[int, int], tuple[int, float | None]] = {}
    option_kinds = by_kind[Kind.SINGLE] + by_kind[Kind.MULTIPLE] + by_kind[Kind.AGE_BAND] + by_kind[Kind.YES_NO]
    option_kinds += by_kind[Kind.RANKING]
    if option_kinds:
        for row in (
            answers.filter(question_id__in=option_kinds)
            .values("question_id", "option_id")
            .annotate(n=Count("id"), avg_rank=Avg("rank"))
            .order_by()
        ):
            option_counts[(row["question_id"], row["option_id"])] = (row["n"], row["avg_rank"])
    respondents: dict[int, int] = {}
    # A multiple choice or a ranking has several rows per person: count the people once.
    several = by_kind[Kind.MULTIPLE] + by_kind[Kind.RANKING]
    if several:
        for row in (
            answers.filter(question_id__in=several)
            .values("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        ):
            respondents[row["question_id"]] = row["n"]
    number_stats: dict[int, dict] = {}
    numeric = by_kind[Kind.LIKERT] + by_kind[Kind.NUMBER]
    if numeric:
        for row in (
            answers.filter(question_id__in=numeric)
            .values("question_id")
            .annotate(n=Count("id"), avg=Avg("number"), lo=Min("number"), hi=Max("number"))
            .order_by()
        ):
            number_stats[row["question_id"]] = row
    likert_counts: dict[tuple[int, int], int] = {}
    if by_kind[Kind.LIKERT]:
        for row in (
            answers.filter(question_id__in=by_kind[Kind.LIKERT])
            .values("question_id", "number")
            .annotate(n=Count("id"))
            .order_by()
        ):
            likert_counts[(row["question_id"], row["number"])] = row["n"]
    residence = {
        row["municipality_id"]: row["n"]
        for row in responses.values("municipality_id").annotate(n=Count("pk")).order_by()
    }
    elsewhere = responses.filter(resident_elsewhere=True).count() if by_kind[Kind.MUNICIPALITY] else 0
    municipalities = list(Municipality.objects.only("istat_code", "name", "population").order_by("name"))
    open_texts: dict[int, list[str]] = defaultdict(list)
    open_counts: dict[int, int] = {}
    open_ids = [pk for kind in OPEN_KINDS for pk in by_kind[kind]]
    if open_ids:
        for row in answers.filter(question_id__in=open_ids).values("question_id").annotate(n=Count("id")).order_by():
            open_counts[row["question_id"]] = row["n"]
        if include_open:
            # The latest answers of each open question, in one query (a window would do it in SQL too).
            for row in (
                answers.filter(question_id__in=open_ids)
                .order_by("question_id", "-response__submitted_on", "-id")
                .values_list("question_id", "text")[: open_limit * len(open_ids)]
            ):
                if len(open_texts[row[0]]) < open_limit:
                    open_texts[row[0]].append(row[1])

    results = []
    for q in questions:
        result = QuestionResult(q)
        options = list(q.options.all())
        if q.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.AGE_BAND, Kind.YES_NO):
            counts = [option_counts.get((q.pk, o.pk), (0, None))[0] for o in options]
            result.respondents = respondents.get(q.pk, 0) if q.kind == Kind.MULTIPLE else sum(counts)
            result.rows = _bars(
                [Row(o.label, c, _percent(c, result.respondents)) for o, c in zip(options, counts, strict=True)]
            )
            result.chart = "bars"
        elif q.kind == Kind.RANKING:
            result.respondents = respondents.get(q.pk, 0)
            rows = []
            top = q.rank_top or len(options)
            for o in options:
                count, avg = option_counts.get((q.pk, o.pk), (0, None))
                row = Row(o.label, count, _percent(count, result.respondents))
                row.extra = format_number(avg, 2) if avg is not None else "—"
                row.average_rank = round(float(avg), 2) if avg is not None else None
                # Longer bar = higher place: top + 1 - average rank.
                row.width = (top + 1 - float(avg)) if avg is not None else 0.0
                rows.append(row)
            rows.sort(key=lambda r: -r.width)
            scale = max((r.width for r in rows), default=0) or 1
            for row in rows:
                row.width = round(BAR_WIDTH * row.width / scale, 1)
            result.rows = rows
            result.chart = "ranking"
        elif q.kind == Kind.LIKERT:
            stats = number_stats.get(q.pk, {})
            result.respondents = stats.get("n", 0)
            result.average = stats.get("avg")
            result.rows = _bars(
                [
                    Row(
                        label,
                        likert_counts.get((q.pk, value), 0),
                        _percent(likert_counts.get((q.pk, value), 0), result.respondents),
                    )
                    for value, label in q.scale()
                ]
            )
            result.chart = "likert"
        elif q.kind == Kind.NUMBER:
            stats = number_stats.get(q.pk, {})
            result.respondents = stats.get("n", 0)
            result.average, result.minimum, result.maximum = stats.get("avg"), stats.get("lo"), stats.get("hi")
            result.chart = "number"
        elif q.kind == Kind.MUNICIPALITY:
            rows = [Row(m.name, residence.get(m.istat_code, 0), 0.0) for m in municipalities]
            rows.append(Row(_("Altro comune / non residente"), elsewhere, 0.0))
            result.respondents = sum(r.count for r in rows)
            for row in rows:
                row.percent = _percent(row.count, result.respondents)
            # The chart shows the ten most represented; the table lists all 109 rows.
            result.rows = _bars(sorted(rows, key=lambda r: -r.count))
            result.chart = "municipality"
        else:
            result.respondents = open_counts.get(q.pk, 0)
            result.open_answers = open_texts.get(q.pk, [])
            result.chart = "open"
        results.append(result)

    rates = {
        m.istat_code: 1000.0 * residence.get(m.istat_code, 0) / m.population
        for m in municipalities
        if m.population and residence.get(m.istat_code)
    }
    participation = [
        {
            "municipality": m,
            "count": residence.get(m.istat_code, 0),
            "rate": 1000.0 * residence.get(m.istat_code, 0) / m.population if m.population else 0.0,
        }
        for m in municipalities
    ]
    return {
        "total": total,
        "questions": results,
        "participation": participation,
        "rates": rates,
        "has_residence": bool(by_kind[Kind.MUNICIPALITY]),
    }


def participation_map(rates: dict[str, float]) -> MunicipalityMap:
    fills, legend = choropleth(rates, unit=_("risposte ogni 1.000 abitanti"), zero_label=_("nessuna risposta"))
    notes = {
        code: _("%(rate)s risposte ogni 1.000 abitanti") % {"rate": format_number(rate, 2)}
        for code, rate in rates.items()
    }
    return MunicipalityMap(
        title=_("Partecipazione al questionario per comune"),
        description=_(
            "Risposte ogni 1.000 abitanti per ciascuno dei 108 comuni, per comune di residenza dichiarato; "
            "i comuni in grigio non hanno risposte. I numeri sono nella tabella che segue."
        ),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-partecipazione",
    )


def live_counts(questionnaire: Questionnaire) -> dict:
    """Total responses and responses per municipality of residence (two queries)."""
    responses = Response.objects.filter(questionnaire=questionnaire)
    per_municipality = dict(
        responses.exclude(municipality=None).values_list("municipality_id").annotate(n=Count("pk")).order_by()
    )
    names = dict(Municipality.objects.filter(pk__in=list(per_municipality)).values_list("istat_code", "name"))
    rows = sorted(
        ({"istat_code": code, "name": names.get(code, code), "count": n} for code, n in per_municipality.items()),
        key=lambda r: (-r["count"], r["name"]),
    )
    return {"total": responses.count(), "rows": rows}
