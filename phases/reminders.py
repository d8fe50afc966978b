"""Reminders that go at most once a day per person, shared by every consultation (the Vision's review, the rounds
on the vocations): each caller says whom to remind, how to claim the day's slot and what to write."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction


def send_daily(
    users: Iterable,
    *,
    claim: Callable[[object], object],
    release: Callable[[object], object],
    subject: str,
    body: Callable[[object], str],
) -> int:
    """E-mail each user unless today's slot is already taken. ``claim(user)`` creates the row whose unique
    (user, day) index refuses a second one, before the e-mail goes: two clicks, two workers or a retried task cannot
    send twice. A failed e-mail frees the slot (``release(user)``) so that the retried task sends it."""
    sent = 0
    for user in users:
        try:
            with transaction.atomic():
                claim(user)
        except IntegrityError:
            continue
        try:
            send_mail(subject, body(user), settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            release(user)
            raise
        sent += 1
    return sent
