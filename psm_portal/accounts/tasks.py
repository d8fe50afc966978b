"""Celery tasks of the accounts: thin, they take ids and call services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from psm_portal.accounts.models import User
from psm_portal.accounts.services import invitation_send, password_reset_send


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_invitation(self, user_id: int, base_url: str | None = None) -> bool:
    """Send the invitation e-mail of one account, its link on ``base_url`` when given."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return invitation_send(user=user, base_url=base_url)


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_password_reset(self, user_id: int, language: str | None = None, base_url: str | None = None) -> bool:
    """Send the e-mail with a link to choose a new password, in the language the request was made in, its link on
    ``base_url`` when given."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return password_reset_send(user=user, language=language, base_url=base_url)
