"""Celery tasks of the vocations: thin, they take ids and call services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from vocations.models import Round
from vocations.services import reminders_send


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_round_reminders(self, round_id: int) -> int:
    """Remind the mayors whose comune has not answered the round (one e-mail per mayor per day at most)."""
    round_ = Round.objects.filter(pk=round_id).first()
    return reminders_send(round_=round_) if round_ else 0
