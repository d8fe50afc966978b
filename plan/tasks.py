"""Celery tasks of the plan documents: thin, they take ids and call services."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from plan.services import TRANSIENT_ERRORS, plan_fail, plan_render
from plan.services.notices import approval_notify, examination_notify, publication_notify

logger = logging.getLogger(__name__)

RENDER_MAX_RETRIES = 3


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=RENDER_MAX_RETRIES,
    ignore_result=True,
    # Soft: the document ends as failed with a message; hard, 30 s later: the worker's child process is killed
    # and the sweeper (``plan_resume_stale``) hands the document out again.
    soft_time_limit=settings.PSM_PLAN_RENDER_TIME_LIMIT,
    time_limit=settings.PSM_PLAN_RENDER_TIME_LIMIT + 30,
)
def render_plan_document(self, document_id: int):
    """Render a plan document; transient failures retry with back-off, then leave a clear message."""
    try:
        plan_render(document_id=document_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.error(
                "Plan document %s: giving up after %s attempts: %s", document_id, self.request.retries + 1, exc
            )
            plan_fail(
                document_id=document_id,
                message=_("Il servizio non era raggiungibile dopo %(n)s tentativi: %(error)s")
                % {"n": self.request.retries + 1, "error": exc},
            )
            return None
        # Returned, not raised: a worker schedules the retry; with no broker, apply() runs it at once in-process.
        return self.retry(exc=exc, countdown=5 * 2**self.request.retries, throw=False)


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_examination_opened(self, examination_id: int) -> int:
    """Tell mayors, offices and council that a final version is under the council's examination (once)."""
    return examination_notify(examination_id=examination_id)


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_plan_approved(self, examination_id: int) -> int:
    """Tell mayors, offices and council that the council approved the plan (once)."""
    return approval_notify(examination_id=examination_id)


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_plan_published(self, document_id: int) -> int:
    """Tell everybody concerned that a version of the plan is published (once per document)."""
    return publication_notify(document_id=document_id)
