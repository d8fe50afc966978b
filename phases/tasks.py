"""Celery tasks of the process: thin, they take ids and call services."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task

from phases.models import VisionVersion
from phases.services import need_answered_notify, reminders_send, version_notify

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_version_opened(self, version_id: int) -> int:
    """Tell mayors and office staff that a version (of the Vision or another reviewed document) is open for their
    positions."""
    version = VisionVersion.documents.filter(pk=version_id).first()
    return version_notify(version=version) if version else 0


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_reminders(self, version_id: int) -> int:
    """Remind the mayors who have not answered yet (one e-mail per mayor per day at most)."""
    version = VisionVersion.documents.filter(pk=version_id).first()
    return reminders_send(version=version) if version else 0


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_need_answered(self, need_id: int) -> int:
    """Tell the comune's mayors that the team answered their istanza (once per reply)."""
    return need_answered_notify(need_id=need_id)
