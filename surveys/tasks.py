"""Celery tasks of the questionnaire (thin, call a service, safe to run twice), and how a web
process asks for them."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from psm_portal.lib.memo import Memo
from surveys.spreading import responses_spread_run

logger = logging.getLogger(__name__)

# Set when this process asks for a run, for SURVEYS_SPREAD_DELAY_SECONDS: see ``spread_soon``.
_spread_asked = Memo("surveys.spread_asked", lambda: settings.SURVEYS_SPREAD_DELAY_SECONDS)


@shared_task(
    acks_late=True,
    ignore_result=True,
    # Soft: the batch under way rolls back and stays pending; a run that stops is resumed by the sweeper.
    soft_time_limit=settings.SURVEYS_SPREAD_TIME_LIMIT,
    time_limit=settings.SURVEYS_SPREAD_TIME_LIMIT + 30,
)
def spread_responses() -> int:
    """Write the pending responses out as answers and counts (rows another run holds are skipped)."""
    return responses_spread_run()


def spread_soon() -> None:
    """Ask a worker to spread the pending responses in a moment (``surveys.spreading``).

    A process asks at most once per ``SURVEYS_SPREAD_DELAY_SECONDS``, for a run that starts after
    that delay: a response that did not ask was stored before the run it relies on starts. With
    tasks run in-process (no Redis) the spreading happens at once. A broker that is down only
    delays the spreading (readers spread what is pending): it never fails the citizen's submission.
    """
    if _spread_asked.get():
        return  # a run is already asked for, and starts after this response was stored
    eager = spread_responses.app.conf.task_always_eager
    if not eager:  # with tasks run in-process, every response is spread at once
        _spread_asked.set(None, True)
    try:
        spread_responses.apply_async(countdown=0 if eager else settings.SURVEYS_SPREAD_DELAY_SECONDS + 1)
    except Exception:
        logger.exception("Questionnaire responses: the spreading could not be enqueued")
