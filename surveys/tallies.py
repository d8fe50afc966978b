"""The running counts behind the results page (see ``Tally``): the deltas of one response, their
upsert as responses are spread into answers (``surveys.spreading``), and the rebuild from the answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum

from surveys.models import OTHER_MUNICIPALITY, Answer, Kind, Questionnaire, Response, Tally


def cell_of(municipality_id: str | None, resident_elsewhere: bool, age_band_id: int | None) -> tuple[str, int]:
    return (municipality_id or (OTHER_MUNICIPALITY if resident_elsewhere else ""), age_band_id or 0)


def municipality_value(code: str | None) -> int:
    return int(code) if code else -1


class Deltas:
    """Counts to add, keyed by ``(question, option, value, municipality, age band)``."""

    def __init__(self):
        self.rows: dict[tuple, list] = {}

    def add(self, key: tuple, *, count: int = 1, rank: int = 0, number: int | None = None) -> None:
        row = self.rows.setdefault(key, [0, 0, 0, None, None])
        row[0] += count
        row[1] += rank
        if number is not None:
            row[2] += number
            row[3] = number if row[3] is None else min(row[3], number)
            row[4] = number if row[4] is None else max(row[4], number)


def response_deltas(structure, answers: Mapping[int, object], cell: tuple[str, int], deltas: Deltas) -> None:
    """Add to ``deltas`` the counts of one response whose residence and age band make ``cell``
    (``cell_of``): a batch of responses sums into one upsert."""
    municipality, age = cell
    deltas.add((0, 0, 0, municipality, age))
    for pk, value in answers.items():
        kind = structure.questions[pk].kind
        number = value if kind in (Kind.LIKERT, Kind.NUMBER) else None
        deltas.add((pk, 0, 0, municipality, age), number=number)
        if kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
            deltas.add((pk, value["option"], 0, municipality, age))
        elif kind == Kind.MULTIPLE:
            for option in value["options"]:
                deltas.add((pk, option, 0, municipality, age))
        elif kind == Kind.RANKING:
            for position, option in enumerate(value, start=1):
                deltas.add((pk, option, 0, municipality, age), rank=position)
        elif kind == Kind.LIKERT:
            deltas.add((pk, 0, value, municipality, age))
        elif kind == Kind.MUNICIPALITY:
            deltas.add((pk, 0, municipality_value(None if value == OTHER_MUNICIPALITY else value), municipality, age))


def tally_add(*, questionnaire: Questionnaire, deltas: Deltas) -> None:
    """Add the deltas with one INSERT … ON CONFLICT DO UPDATE (PostgreSQL and SQLite).

    Rows go in key order, so concurrent submissions lock them in the same order and never deadlock.
    """
    if not deltas.rows:
        return
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    table = Tally._meta.db_table
    placeholders = []
    params: list = []
    for key in sorted(deltas.rows):
        count, rank, number_sum, lo, hi = deltas.rows[key]
        placeholders.append("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
        params.extend([questionnaire.pk, *key, count, rank, number_sum, lo, hi])
    sql = (
        f"INSERT INTO {table} (questionnaire_id, question_id, option_id, value, municipality, age_band_id, "
        f"count, rank_sum, number_sum, number_min, number_max) VALUES {', '.join(placeholders)} "
        f"ON CONFLICT (questionnaire_id, question_id, option_id, value, municipality, age_band_id) DO UPDATE SET "
        f"count = {table}.count + EXCLUDED.count, rank_sum = {table}.rank_sum + EXCLUDED.rank_sum, "
        f"number_sum = {table}.number_sum + EXCLUDED.number_sum, "
        f"number_min = {least}(COALESCE({table}.number_min, EXCLUDED.number_min), "
        f"COALESCE(EXCLUDED.number_min, {table}.number_min)), "
        f"number_max = {greatest}(COALESCE({table}.number_max, EXCLUDED.number_max), "
        f"COALESCE(EXCLUDED.number_max, {table}.number_max))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _cells(rows: Iterable[dict], prefix: str = "response__") -> Iterable[tuple[dict, tuple[str, int]]]:
    for row in rows:
        yield (
            row,
            cell_of(row[f"{prefix}municipality_id"], row[f"{prefix}resident_elsewhere"], row[f"{prefix}age_band_id"]),
        )


def _lock_tallies() -> None:
    """On PostgreSQL, make submissions wait for the rebuild: their upserts queue behind this lock, and
    the lock is granted only once those already holding a row of the table have committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Tally._meta.db_table} IN EXCLUSIVE MODE")


def tally_rebuild(*, questionnaire: Questionnaire) -> int:
    """Recompute every count of a questionnaire from its answers (after an import, or to check them).

    The answers are read after the lock, inside the transaction that replaces the counts, so
    responses spread meanwhile are neither lost nor counted twice; those still pending are left to
    the spreading."""
    with transaction.atomic():
        _lock_tallies()
        rows = _counts_from_answers(questionnaire)
        Tally.objects.filter(questionnaire=questionnaire).delete()
        Tally.objects.bulk_create(
            [
                Tally(
                    questionnaire=questionnaire,
                    question_id=key[0],
                    option_id=key[1],
                    value=key[2],
                    municipality=key[3],
                    age_band_id=key[4],
                    count=values[0],
                    rank_sum=values[1],
                    number_sum=values[2],
                    number_min=values[3],
                    number_max=values[4],
                )
                for key, values in rows.items()
            ],
            batch_size=2000,
        )
    return len(rows)


def _counts_from_answers(questionnaire: Questionnaire) -> dict[tuple, list]:
    cell = ("response__municipality_id", "response__resident_elsewhere", "response__age_band_id")
    answers = Answer.objects.filter(response__questionnaire=questionnaire)
    kinds = dict(questionnaire.questions.values_list("pk", "kind"))
    rows: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, None, None])
    # Responses still pending are left out: their answers are not rows yet, and spreading them adds
    # their counts after this rebuild (it waits for the lock taken above).
    responses = (
        Response.objects.filter(questionnaire=questionnaire, pending__isnull=True)
        .values("municipality_id", "resident_elsewhere", "age_band_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row, (municipality, age) in _cells(responses, prefix=""):
        rows[(0, 0, 0, municipality, age)][0] += row["n"]
    answered = (
        answers.values("question_id", *cell)
        .annotate(n=Count("response_id", distinct=True), total=Sum("number"), lo=Min("number"), hi=Max("number"))
        .order_by()
    )
    for row, (municipality, age) in _cells(answered):
        rows[(row["question_id"], 0, 0, municipality, age)] = [row["n"], 0, row["total"] or 0, row["lo"], row["hi"]]
    chosen = (
        answers.exclude(option=None)
        .values("question_id", "option_id", *cell)
        .annotate(n=Count("pk"), ranks=Sum("rank"))
        .order_by()
    )
    for row, (municipality, age) in _cells(chosen):
        rows[(row["question_id"], row["option_id"], 0, municipality, age)] = [
            row["n"],
            row["ranks"] or 0,
            0,
            None,
            None,
        ]
    likert = [pk for pk, kind in kinds.items() if kind == Kind.LIKERT]
    for row, (municipality, age) in _cells(
        answers.filter(question_id__in=likert).values("question_id", "number", *cell).annotate(n=Count("pk")).order_by()
    ):
        rows[(row["question_id"], 0, row["number"], municipality, age)][0] += row["n"]
    residence = [pk for pk, kind in kinds.items() if kind == Kind.MUNICIPALITY]
    for row, (municipality, age) in _cells(
        answers.filter(question_id__in=residence)
        .values("question_id", "municipality_id", *cell)
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[(row["question_id"], 0, municipality_value(row["municipality_id"]), municipality, age)][0] += row["n"]
    return rows
