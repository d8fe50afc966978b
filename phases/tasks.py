"""Celery tasks of the process app: thin, they take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from phases.plan.services import TRANSIENT_ERRORS, plan_fail, plan_render

RENDER_MAX_RETRIES = 3


@shared_task(bind=True, acks_late=True, max_retries=RENDER_MAX_RETRIES, ignore_result=True)
def render_plan_document(self, document_id: int) -> None:
    """Render a plan document; transient failures retry with back-off, then leave a clear message."""
    try:
        plan_render(document_id=document_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            plan_fail(
                document_id=document_id,
                message=_("Il servizio non era raggiungibile dopo %(n)s tentativi: %(error)s")
                % {"n": self.request.retries + 1, "error": exc},
            )
            raise
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries)
