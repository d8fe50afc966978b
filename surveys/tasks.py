"""Celery tasks of the questionnaire: thin, call a service; safe to run twice."""

from __future__ import annotations

from celery import shared_task

from surveys.services import responses_spread_all


@shared_task(acks_late=True, ignore_result=True)
def spread_responses() -> int:
    """Write the pending responses out as answers and counts (rows another run holds are skipped)."""
    return responses_spread_all()
