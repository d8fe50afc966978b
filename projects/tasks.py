"""Celery tasks for imports: thin, take an id, call a service; safe to run twice (the services claim the work).

Each stops at PROJECTS_IMPORT_TIME_LIMIT (soft: the import ends as failed with a message) and 30 s later
for good; a worker that dies leaves a claim that the sweeper (``imports_resume_stale``) hands out again."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from projects.services.imports import import_apply, import_validate
from projects.services.proposals import proposal_decided_notify

LIMITS = {
    "soft_time_limit": settings.PROJECTS_IMPORT_TIME_LIMIT,
    "time_limit": settings.PROJECTS_IMPORT_TIME_LIMIT + 30,
}


@shared_task(acks_late=True, ignore_result=True, **LIMITS)
def validate_import(batch_id: int) -> None:
    """Check an uploaded file and store its preview."""
    import_validate(batch_id=batch_id)


@shared_task(acks_late=True, ignore_result=True, **LIMITS)
def apply_import(batch_id: int) -> None:
    """Write a confirmed import (queued by ``import_confirm``), all rows or none."""
    import_apply(batch_id=batch_id)


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_proposal_decided(self, proposal_id: int) -> int:
    """Tell the proposer the team's decision on their proposal, once."""
    return proposal_decided_notify(proposal_id=proposal_id)
