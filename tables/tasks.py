"""Celery tasks of the working tables: thin, they take ids and call services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from tables.models import Session
from tables.services import invitations_send, invitations_sweep, reminders_send


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_invitations(self, session_id: int) -> int:
    """E-mail the session's calendar entry (new, updated or cancelled) to each member's people, once per version."""
    session = Session.objects.filter(pk=session_id).first()
    return invitations_send(session=session) if session else 0


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_session_reminders(self) -> int:
    """Hourly (Celery beat): invitations lost while the broker was down, then the day-before reminders (each session
    once)."""
    return invitations_sweep() + reminders_send()
