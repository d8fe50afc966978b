"""Notices of formal acts (an istanza answered, a proposal decided, a report sent back, a plan published): each
goes once. The key is claimed in the database before the e-mails go, so that a task delivered twice, or two
workers, send it once; if sending fails the claim is released and the retried task sends it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction

from outcomes.models import Notice


def notice_send(*, key: str, recipients, subject: str, body: str) -> int:
    """E-mail ``body`` to each address once for ``key``; returns how many were sent (0 if already sent)."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    try:
        with transaction.atomic():
            Notice.objects.create(key=key[:200], recipients=len(recipients))
    except IntegrityError:
        return 0
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    try:
        # One SMTP connection for all, one message per person (nobody sees the other addresses).
        return send_mass_mail(messages)
    except Exception:
        Notice.objects.filter(key=key[:200]).delete()
        raise
