"""Exports of the responses: one row per response, the same columns whatever was answered.

A column exists for every question and option, so a conditional question left out by a
respondent leaves its cells empty instead of shifting the others. Empty means "not asked
or not answered"; a multiple choice answered has 0 or 1 in every option column.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from municipalities.models import Municipality
from psm_portal.lib.csvexport import csv_writer, safe_cell
from surveys import opendata
from surveys.answers import Structure
from surveys.models import OPEN_KINDS, OTHER_MUNICIPALITY, Answer, Kind, Response
from surveys.spreading import spread_pending
from surveys.tallies import cell_of


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], object]  # from {question_id: [answer tuples]} to the cell


# Answer tuples as fetched: (response_id, question_id, option_id, number, rank, municipality_id, text)
RESPONSE, QUESTION, OPTION, NUMBER, RANK, MUNICIPALITY, TEXT = range(7)
# In the public CSV, the key under which a row's answers carry its coarsened (place, age band).
CELL = "cell"


def _first(rows):
    return rows[0] if rows else None


def _coarse_columns(prefix: str, question, labels: dict, names: dict) -> list[Column]:
    """The residence or age band of a public row, read from its coarsened cell (``surveys.opendata``)."""
    if question.kind == Kind.AGE_BAND:
        not_given = _("non indicata")
        return [Column(prefix, lambda a: labels.get(a[CELL][1]) or not_given)]
    elsewhere, pooled = _("Altro comune / non residente"), _("altri comuni")

    def name(place: str) -> str | None:
        if place == opendata.POOLED:
            return pooled
        return elsewhere if place == OTHER_MUNICIPALITY else names.get(place)

    return [
        Column(f"{prefix} [codice ISTAT]", lambda a: a[CELL][0] if a[CELL][0] in names else ""),
        Column(prefix, lambda a: name(a[CELL][0])),
    ]


def columns(structure: Structure, *, include_open: bool, coarse: bool = False) -> list[Column]:
    """The columns of an export; ``coarse`` (the public CSV) writes the residence and age band coarsened by
    the small-group rule, and leaves out any further question of those kinds, which the rule does not cover."""
    names = dict(Municipality.objects.values_list("istat_code", "name"))
    cell_questions = {structure.first_of_kind(Kind.MUNICIPALITY), structure.first_of_kind(Kind.AGE_BAND)} - {None}
    cols: list[Column] = []
    for index, q in enumerate(structure.ordered_questions(), start=1):
        prefix = f"D{index}. {q.text}"
        pk = q.pk
        options = list(q.options.all())
        labels = {o.pk: o.label for o in options}
        other = next((o for o in options if o.is_other), None)
        if coarse and q.kind in (Kind.MUNICIPALITY, Kind.AGE_BAND):
            if q in cell_questions:
                cols.extend(_coarse_columns(prefix, q, labels, names))
            continue
        if q.kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
            cols.append(
                Column(
                    prefix,
                    lambda a, pk=pk, labels=labels: labels.get(_first(a.get(pk, []))[OPTION]) if a.get(pk) else None,
                )
            )
        elif q.kind == Kind.MULTIPLE:
            for option in options:
                cols.append(
                    Column(
                        f"{prefix} [{option.label}]",
                        lambda a, pk=pk, o=option.pk: int(any(r[OPTION] == o for r in a[pk])) if a.get(pk) else None,
                    )
                )
        elif q.kind == Kind.RANKING:
            for option in options:
                cols.append(
                    Column(
                        f"{prefix} [{option.label}] posizione",
                        lambda a, pk=pk, o=option.pk: next((r[RANK] for r in a.get(pk, []) if r[OPTION] == o), None),
                    )
                )
        elif q.kind in (Kind.LIKERT, Kind.NUMBER):
            cols.append(Column(prefix, lambda a, pk=pk: a[pk][0][NUMBER] if a.get(pk) else None))
        elif q.kind == Kind.MUNICIPALITY:
            elsewhere = _("Altro comune / non residente")
            cols.append(
                Column(
                    f"{prefix} [codice ISTAT]",
                    lambda a, pk=pk: (a[pk][0][MUNICIPALITY] or "") if a.get(pk) else None,
                )
            )
            cols.append(
                Column(
                    prefix,
                    lambda a, pk=pk, e=elsewhere: (
                        (names.get(a[pk][0][MUNICIPALITY], e) if a[pk][0][MUNICIPALITY] else e) if a.get(pk) else None
                    ),
                )
            )
        elif q.kind in OPEN_KINDS and include_open:
            cols.append(Column(prefix, lambda a, pk=pk: a[pk][0][TEXT] if a.get(pk) else None))
        # The text written with «Altro» is an open answer too: for the team only.
        if other is not None and include_open:
            cols.append(
                Column(
                    f"{prefix} [{other.label}: testo]",
                    lambda a, pk=pk, o=other.pk: next((r[TEXT] for r in a.get(pk, []) if r[OPTION] == o), None),
                )
            )
    return cols


def rows(
    structure: Structure, cols: list[Column], *, with_day: bool, cells: Mapping[tuple, tuple | None] | None = None
) -> Iterator[list]:
    """One list of cells per response, streaming both queries side by side (ordered by response).

    Pending responses are spread first; one another process is still spreading is left out (it has
    no answer rows yet), never written with empty cells. With ``cells`` (``surveys.opendata.published_cells``)
    each row carries its coarsened cell, and a response whose cell is not published is left out."""
    spread_pending(structure.questionnaire)
    responses = (
        Response.objects.filter(questionnaire=structure.questionnaire)
        .spread()
        .order_by("id")
        .values_list("id", "submitted_on", "municipality_id", "resident_elsewhere", "age_band_id")
        .iterator(chunk_size=2000)
    )
    answers = (
        Answer.objects.filter(question__in=list(structure.questions))
        .order_by("response_id", "id")
        .values_list("response_id", "question_id", "option_id", "number", "rank", "municipality_id", "text")
        .iterator(chunk_size=5000)
    )
    # The responses' query runs first: a response spread after it began is not listed, and its
    # answers, which the second query may see, are passed over below.
    first = next(responses, None)
    pending = next(answers, None)
    listed = itertools.chain([first], responses) if first is not None else iter(())
    number = 0
    for response_id, submitted_on, municipality_id, resident_elsewhere, age_band_id in listed:
        grouped: dict = {}
        # Answers of a response not listed (spread after the first query began) are passed over.
        while pending is not None and pending[RESPONSE] < response_id:
            pending = next(answers, None)
        while pending is not None and pending[RESPONSE] == response_id:
            grouped.setdefault(pending[QUESTION], []).append(pending)
            pending = next(answers, None)
        if cells is not None:
            grouped[CELL] = cells.get(cell_of(municipality_id, resident_elsewhere, age_band_id))
            if grouped[CELL] is None:
                continue  # in a group too small to publish
        number += 1
        day = [submitted_on] if with_day else []
        yield [number, *day] + [col.value(grouped) for col in cols]


def header(cols: list[Column], *, with_day: bool) -> list[str]:
    return [_("risposta"), *([_("giorno")] if with_day else [])] + [col.header for col in cols]


class _Echo:
    def write(self, value):
        return value


def csv_lines(structure: Structure) -> Iterator[str]:
    """The public CSV: closed answers only, no day, which in a small group could point at a person, and the
    residence and age band coarsened by the small-group rule (``surveys.opendata``). A text a spreadsheet
    would run as a formula gets a leading apostrophe (``safe_cell``)."""
    cols = columns(structure, include_open=False, coarse=True)
    writer = csv_writer(_Echo())
    yield writer.writerow([safe_cell(h) for h in header(cols, with_day=False)])
    cells = opendata.published_cells(structure.questionnaire)
    for row in rows(structure, cols, with_day=False, cells=cells):
        yield writer.writerow([safe_cell(v) for v in row])


def _xlsx_cell(sheet, value):
    """Texts go in as string cells, so "=HYPERLINK(…)" stays a text and needs no apostrophe."""
    if not isinstance(value, str):
        return value  # numbers, the day as a date, None for an empty cell
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def xlsx_bytes(structure: Structure) -> bytes:
    cols = columns(structure, include_open=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Risposte"))
    sheet.append([_xlsx_cell(sheet, h) for h in header(cols, with_day=True)])
    for row in rows(structure, cols, with_day=True):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def withheld(questionnaire, message: str) -> dict:
    """The JSON of a filtered group too small to publish: the same keys, no numbers."""
    return {
        "questionnaire": questionnaire.slug,
        "title": questionnaire.title,
        "responses": None,
        "message": message,
        "questions": [],
        "participation": [],
    }


def aggregated(result: dict, questionnaire) -> dict:
    """The results page as JSON: counts and percentages, never the open answers."""
    out = {
        "questionnaire": questionnaire.slug,
        "title": questionnaire.title,
        "responses": result["total"],
        "questions": [],
    }
    for item in result["questions"]:
        q = item.question
        entry = {"id": q.pk, "text": q.text, "kind": q.kind, "respondents": item.respondents}
        if item.chart in ("bars", "likert", "municipality"):
            entry["answers"] = [{"label": r.label, "count": r.count, "percent": r.percent} for r in item.rows]
        if item.chart == "ranking":
            entry["answers"] = [{"label": r.label, "count": r.count, "average_rank": r.average_rank} for r in item.rows]
        if item.chart in ("likert", "number"):
            entry["average"] = round(float(item.average), 2) if item.average is not None else None
        if item.chart == "number":
            entry["min"], entry["max"] = item.minimum, item.maximum
        out["questions"].append(entry)
    out["participation"] = [
        {
            "istat_code": p["municipality"].istat_code,
            "name": p["municipality"].name,
            "responses": p["count"],
            "per_1000": round(p["rate"], 3),
        }
        for p in result["participation"]
    ]
    return out
