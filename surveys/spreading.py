"""Spreading: how a stored response becomes answer rows and running counts.

A citizen's submission is one INSERT (``services.response_submit``): the answers wait on the
response as JSON (``Response.pending``). Spreading writes them out as ``Answer`` rows (one per
value, several for a multiple choice or a ranking), adds them to the running counts (``Tally``,
``surveys.tallies``) and clears ``pending``, one transaction per batch of ``SPREAD_BATCH``
responses taken in key order.

Two kinds of caller spread:

- a worker, asked by ``surveys.tasks.spread_soon`` after a submission (at most once per
  ``SURVEYS_SPREAD_DELAY_SECONDS`` per process), runs ``responses_spread_all`` for every questionnaire;
- every reader of answers or counts (results page, exports, the plan) first calls ``spread_pending``,
  which spreads at most ``READER_ROUNDS`` batches of its questionnaire, so what is stored is never
  missing from what is read, even with no worker running.

A batch locks the rows it reads (``SKIP LOCKED`` on PostgreSQL, the write lock on SQLite): two runs
never spread the same response. A response with an answer that is no longer valid for the
questionnaire is logged and left pending, for a person to look at; it holds back no other.

A worker killed in a batch loses only that batch's transaction: its responses stay pending. Its
task's message comes back only after the broker's visibility timeout, and no new run is asked for
until someone answers again, so the sweeper (``spreading_resume_stale``) asks for one when responses
have waited and no run started or ended for ``SURVEYS_SPREAD_STALE_SECONDS``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from surveys.answers import Structure, check, other_option_id
from surveys.answers import municipality_codes as reference_codes
from surveys.models import OTHER_MUNICIPALITY, Answer, Kind, Questionnaire, Response, SpreadingJob
from surveys.tallies import Deltas, cell_of, response_deltas, tally_add

logger = logging.getLogger(__name__)

SPREAD_BATCH = 500
SPREAD_ROUNDS = 200  # a bound on one call: 100,000 responses
READER_ROUNDS = 4  # what one page view may spread when no worker has (2,000 responses)
JOB = 1  # the one row of SpreadingJob


def _answer_rows(structure: Structure, answers: Mapping[int, object]) -> list[Answer]:
    """The rows of ``surveys_answer`` for one response (ids only: no related object is loaded)."""
    rows: list[Answer] = []
    for pk, value in answers.items():
        question = structure.questions[pk]
        kind = question.kind
        if kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
            rows.append(Answer(question_id=pk, option_id=value["option"], text=value.get("other", "")))
        elif kind == Kind.MULTIPLE:
            other = other_option_id(question)
            for option in value["options"]:
                text = value.get("other", "") if option == other else ""
                rows.append(Answer(question_id=pk, option_id=option, text=text))
        elif kind == Kind.RANKING:
            for position, option in enumerate(value, start=1):
                rows.append(Answer(question_id=pk, option_id=option, rank=position))
        elif kind in (Kind.LIKERT, Kind.NUMBER):
            rows.append(Answer(question_id=pk, number=value))
        elif kind == Kind.MUNICIPALITY:
            rows.append(Answer(question_id=pk, municipality_id=None if value == OTHER_MUNICIPALITY else value))
        else:
            rows.append(Answer(question_id=pk, text=value))
    return rows


def _readable(structure: Structure, payload, codes) -> dict[int, object] | None:
    """The answers of a pending response as ``_answer_rows`` takes them, each still valid for the
    questionnaire as it is now; None when any is not (it is then left pending, for a person to see)."""
    try:
        values = {int(k): v for k, v in payload.items() if int(k) in structure.questions and v is not None}
    except (AttributeError, TypeError, ValueError):
        return None
    for pk, value in values.items():
        if check(structure.questions[pk], value, codes) is not None:
            return None
    return values


def _spread_batch(*, questionnaire_id: int | None, after, limit: int) -> tuple[int, int, object]:
    """One transaction: up to ``limit`` pending responses after the key ``after``, in key order.
    Returns (rows read, responses spread, last key read)."""
    pending = Response.objects.pending()
    if questionnaire_id is not None:
        pending = pending.filter(questionnaire_id=questionnaire_id)
    if after is not None:
        pending = pending.filter(pk__gt=after)
    codes = reference_codes()
    # Rows are locked as they are read (PostgreSQL) or the transaction holds the write lock from
    # its start (SQLite, IMMEDIATE): no other run can spread them meanwhile.
    with transaction.atomic():
        rows = list(
            pending.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "questionnaire_id", "municipality_id", "resident_elsewhere", "age_band_id", "pending")[
                :limit
            ]
        )
        if not rows:
            return 0, 0, after
        questionnaires = Questionnaire.objects.in_bulk({row[1] for row in rows})
        answers: list[Answer] = []
        deltas: dict[int, Deltas] = {}
        ids = []
        for pk, questionnaire_pk, municipality_id, resident_elsewhere, age_band_id, payload in rows:
            structure = Structure.cached(questionnaires[questionnaire_pk])
            values = _readable(structure, payload, codes)
            if values is None:
                logger.error("Questionnaire response %s: its pending answers are not valid any more", pk)
                continue
            for answer in _answer_rows(structure, values):
                answer.response_id = pk
                answers.append(answer)
            cell = cell_of(municipality_id, resident_elsewhere, age_band_id)
            response_deltas(structure, values, cell, deltas.setdefault(questionnaire_pk, Deltas()))
            ids.append(pk)
        Response.objects.filter(pk__in=ids).update(pending=None)
        Answer.objects.bulk_create(answers, batch_size=2000)
        for questionnaire_pk in sorted(deltas):
            tally_add(questionnaire=questionnaires[questionnaire_pk], deltas=deltas[questionnaire_pk])
    return len(rows), len(ids), rows[-1][0]


def responses_spread(*, questionnaire_id: int | None = None, limit: int = SPREAD_BATCH) -> int:
    """Write up to ``limit`` pending responses out as ``Answer`` rows and add their counts, in one
    transaction; returns how many. Rows another transaction is spreading are skipped, not waited for.

    Answers to a question deleted since (possible only while a questionnaire has no spread answers)
    are dropped. A response with an answer that is not valid for the questionnaire as it is now
    (an option removed before the first answers, by a process that still had the old structure)
    is logged and left pending: it never holds back the others, nor fails the batch."""
    return _spread_batch(questionnaire_id=questionnaire_id, after=None, limit=limit)[1]


def responses_spread_all(*, questionnaire_id: int | None = None, rounds: int = SPREAD_ROUNDS) -> int:
    """Spread the pending responses (of one questionnaire, or of all), batch after batch in key order,
    so rows left pending are passed over rather than read again."""
    total, after = 0, None
    for _round in range(rounds):
        read, spread, after = _spread_batch(questionnaire_id=questionnaire_id, after=after, limit=SPREAD_BATCH)
        total += spread
        if read < SPREAD_BATCH:
            break
    return total


def _mark_active() -> None:
    now = timezone.now()
    if not SpreadingJob.objects.filter(pk=JOB).update(active_at=now):
        SpreadingJob.objects.get_or_create(pk=JOB, defaults={"active_at": now})


def responses_spread_run() -> int:
    """A worker's run: spread every pending response, marking the job as its run starts and ends (so the
    sweeper tells a stopped worker from one at work); returns how many were spread."""
    _mark_active()
    spread = responses_spread_all()
    _mark_active()
    return spread


def spreading_resume_stale(*, now=None) -> int:
    """Ask a worker for a run when responses have been seen waiting for ``SURVEYS_SPREAD_STALE_SECONDS``
    and no run started or ended meanwhile (the last one died, or its message was lost), recorded as
    resumed. A conditional UPDATE: of two sweepers, one asks. Returns 1 when it asked, else 0."""
    from surveys.tasks import spread_responses  # the tasks import this module: a real cycle

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SURVEYS_SPREAD_STALE_SECONDS)
    job, _created = SpreadingJob.objects.get_or_create(pk=JOB)
    rows = SpreadingJob.objects.filter(pk=JOB)
    if not Response.objects.pending().exists():
        if job.pending_seen_at is not None:
            rows.update(pending_seen_at=None)
        return 0
    if job.pending_seen_at is None:
        # Seen for the first time: a run asked by the submission is most likely on its way.
        rows.filter(pending_seen_at__isnull=True).update(pending_seen_at=now)
        return 0
    resumed = rows.filter(Q(active_at__isnull=True) | Q(active_at__lt=cutoff), pending_seen_at__lt=cutoff).update(
        active_at=now, resumed_at=now, resumes=F("resumes") + 1
    )
    if resumed:
        logger.warning("Questionnaire responses: pending and no spreading run for a while; a run is asked again")

        def send() -> None:
            try:
                spread_responses.delay()
            except Exception:  # the broker is down: readers spread what they read; the next sweep asks again
                logger.exception("Questionnaire responses: the spreading could not be enqueued")

        transaction.on_commit(send, robust=True)
    return resumed


def spread_pending(questionnaire: Questionnaire, *, rounds: int = READER_ROUNDS) -> None:
    """Before reading a questionnaire's answers or counts: spread what is still pending (one query
    when, as usual, nothing is). A page view spreads at most ``READER_ROUNDS`` batches (a worker
    passes more), and a database error here is logged, not shown: the page then reads what is
    already spread."""
    if not Response.objects.pending().filter(questionnaire=questionnaire).exists():
        return
    try:
        responses_spread_all(questionnaire_id=questionnaire.pk, rounds=rounds)
    except DatabaseError:
        logger.exception("Questionnaire %s: its pending responses could not be spread", questionnaire.pk)
