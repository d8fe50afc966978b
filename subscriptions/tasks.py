"""Thin Celery tasks of subscriptions: the confirmation e-mail and the periodic digest."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from subscriptions import services

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_confirmation(subscriber_id: int) -> int:
    return services.confirmation_send(subscriber_id=subscriber_id)


@shared_task(time_limit=900, soft_time_limit=840, **RETRY)
def send_digest() -> int:
    """The weekly digest (beat); run twice, it sends each subscriber one e-mail."""
    return services.digest_send()
