"""Results of a questionnaire, aggregated in SQL: a fixed number of GROUP BY queries whatever the
number of responses, then SVG charts each with its title, description and table of numbers.

``chart_data`` turns a result into plain JSON data drawn by ``templates/surveys/_chart.svg``: the
results page draws it live, the plan PDF from the data frozen in its snapshot, so both show the
same picture."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Min, Sum
from django.utils.translation import gettext as _

from municipalities.maps import MunicipalityMap, choropleth
from municipalities.models import Municipality
from psm_portal.lib.money import format_number
from surveys.answers import Structure
from surveys.models import OPEN_KINDS, Answer, Kind, Question, Questionnaire, Response, Tally
from surveys.spreading import READER_ROUNDS, spread_pending
from surveys.tallies import municipality_value

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
    def chart_data(self) -> dict:
        return chart_data(self)

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


def publishable(count: int) -> bool:
    """The small-group rule: a group of ``count`` responses may be shown to the public (``SURVEYS_MIN_GROUP``).
    The results page withholds a filtered group under it; the open-data CSV coarsens its rows by it."""
    return count >= settings.SURVEYS_MIN_GROUP


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _bars(rows: list[Row], value=lambda r: r.percent) -> list[Row]:
    top = max((value(r) for r in rows), default=0) or 1
    for row in rows:
        row.width = round(BAR_WIDTH * value(row) / top, 1)
    return rows


def bar_rows(items: list[tuple[str, int]], *, respondents: int) -> list[Row]:
    """Rows of a choice or Likert chart from ``(label, count)``: bar lengths follow the percentages."""
    return _bars([Row(label, n, _percent(n, respondents)) for label, n in items])


def ranking_rows(items: list[tuple[str, int, float]], *, top: int, respondents: int) -> list[Row]:
    """Rows of a ranking from ``(label, times ranked, sum of the ranks)``, highest average place first."""
    rows = []
    for label, n, rank_sum in items:
        avg = rank_sum / n if n else None
        row = Row(label, n, _percent(n, respondents))
        row.extra = format_number(avg, 2) if avg is not None else "—"
        row.average_rank = round(float(avg), 2) if avg is not None else None
        # Longer bar = higher place: top + 1 - average rank.
        row.width = (top + 1 - float(avg)) if avg is not None else 0.0
        rows.append(row)
    rows.sort(key=lambda r: -r.width)
    scale = max((r.width for r in rows), default=0) or 1
    for row in rows:
        row.width = round(BAR_WIDTH * row.width / scale, 1)
    return rows


def chart_data(result: QuestionResult) -> dict:
    """A result as plain JSON data for ``surveys/_chart.svg`` and the table under it; a "number" question
    has its respondents, average, minimum and maximum instead of rows."""
    data = {
        "chart": result.chart,
        "id": result.dom_id,
        "title": str(result.question.text),
        "respondents": int(result.respondents),
    }
    if result.chart == "number":
        return {
            **data,
            "average": round(float(result.average), 2) if result.average is not None else None,
            "minimum": result.minimum,
            "maximum": result.maximum,
        }
    drawn = result.chart_rows  # sets the rows' y
    return {
        **data,
        "description": str(result.description),
        "height": result.chart_height,
        "drawn": len(drawn),  # the chart draws the first rows, the table lists them all
        "rows": [
            {
                "label": str(row.label),
                "count": int(row.count),
                "percent": float(row.percent),
                "width": float(row.width),
                "y": row.y,
                "extra": row.extra,
            }
            for row in result.rows
        ],
    }


def participation_rates(counts: Mapping[str, int], populations: Mapping[str, int | None]) -> dict[str, float]:
    """Responses per 1,000 inhabitants by ISTAT code, for the comuni with responses and a population."""
    return {
        code: 1000.0 * counts[code] / population
        for code, population in populations.items()
        if population and counts.get(code)
    }


def compute(
    questionnaire: Questionnaire,
    *,
    structure: Structure | None = None,
    municipality: str = "",
    age_band: int | None = None,
    include_open: bool = False,
    open_limit: int = 50,
    spread_rounds: int = READER_ROUNDS,
) -> dict:
    """Counts per question for the responses matching the filters, summed from the tallies: four
    queries (five with the open answers per open question), whatever the number of responses.
    Responses still pending are spread first, so every stored response is counted."""
    spread_pending(questionnaire, rounds=spread_rounds)
    structure = structure or Structure.load(questionnaire)
    tallies = Tally.objects.filter(questionnaire=questionnaire)
    if municipality:
        tallies = tallies.filter(municipality=municipality)
    if age_band:
        tallies = tallies.filter(age_band_id=age_band)
    sums: dict[tuple[int, int, int], dict] = {}
    for row in (
        tallies.values("question_id", "option_id", "value")
        .annotate(
            n=Sum("count"), ranks=Sum("rank_sum"), total=Sum("number_sum"), lo=Min("number_min"), hi=Max("number_max")
        )
        .order_by()
    ):
        sums[(row["question_id"], row["option_id"], row["value"])] = row
    residence = {
        row["municipality"]: row["n"]
        for row in tallies.filter(question_id=0).values("municipality").annotate(n=Sum("count")).order_by()
    }
    total = sum(residence.values())
    questions = structure.ordered_questions()
    municipalities = list(Municipality.objects.only("istat_code", "name", "population").order_by("name"))

    def count(question_id: int, option_id: int = 0, value: int = 0) -> int:
        row = sums.get((question_id, option_id, value))
        return row["n"] if row else 0

    open_texts: dict[int, list[str]] = {}
    if include_open:
        responses = Response.objects.filter(questionnaire=questionnaire).filtered(
            municipality=municipality, age_band=age_band
        )
        for q in questions:
            if q.kind in OPEN_KINDS:
                answers = Answer.objects.filter(question=q)
                if municipality or age_band:
                    answers = answers.filter(response__in=responses.values("pk"))
                # By text, never by id: the ids follow the order of arrival.
                open_texts[q.pk] = list(answers.order_by("text").values_list("text", flat=True)[:open_limit])

    results = []
    for q in questions:
        result = QuestionResult(q)
        options = list(q.options.all())
        result.respondents = count(q.pk)
        if q.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.AGE_BAND, Kind.YES_NO):
            result.rows = bar_rows([(o.label, count(q.pk, o.pk)) for o in options], respondents=result.respondents)
            result.chart = "bars"
        elif q.kind == Kind.RANKING:
            chosen = [sums.get((q.pk, o.pk, 0)) or {"n": 0, "ranks": 0} for o in options]
            result.rows = ranking_rows(
                [(o.label, c["n"], c["ranks"]) for o, c in zip(options, chosen, strict=True)],
                top=q.rank_top or len(options),
                respondents=result.respondents,
            )
            result.chart = "ranking"
        elif q.kind == Kind.LIKERT:
            stats = sums.get((q.pk, 0, 0))
            result.average = stats["total"] / stats["n"] if stats and stats["n"] else None
            result.rows = bar_rows(
                [(label, count(q.pk, 0, v)) for v, label in q.scale()], respondents=result.respondents
            )
            result.chart = "likert"
        elif q.kind == Kind.NUMBER:
            stats = sums.get((q.pk, 0, 0))
            if stats and stats["n"]:
                result.average = stats["total"] / stats["n"]
                result.minimum, result.maximum = stats["lo"], stats["hi"]
            result.chart = "number"
        elif q.kind == Kind.MUNICIPALITY:
            rows = [Row(m.name, count(q.pk, 0, municipality_value(m.istat_code)), 0.0) for m in municipalities]
            rows.append(Row(_("Altro comune / non residente"), count(q.pk, 0, -1), 0.0))
            for row in rows:
                row.percent = _percent(row.count, result.respondents)
            # The chart shows the ten most represented; the table lists all 109 rows.
            result.rows = _bars(sorted(rows, key=lambda r: -r.count))
            result.chart = "municipality"
        else:
            result.open_answers = open_texts.get(q.pk, [])
            result.chart = "open"
        results.append(result)

    rates = participation_rates(residence, {m.istat_code: m.population for m in municipalities})
    participation = [
        {
            "municipality": m,
            "count": residence.get(m.istat_code, 0),
            "rate": rates.get(m.istat_code, 0.0),
        }
        for m in municipalities
    ]
    return {
        "total": total,
        "questions": results,
        "participation": participation,
        "rates": rates,
        "has_residence": any(q.kind == Kind.MUNICIPALITY for q in questions),
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
