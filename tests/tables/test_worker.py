"""Invitations and reminders on a real Celery worker and Redis: one e-mail per member, the reminder once however many
times the task runs."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tables.models import Session
from tables.tasks import send_invitations, send_session_reminders
from tests.conftest import skip_or_fail
from tests.tables.conftest import schedule

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("serve REDIS_URL e PostgreSQL (DATABASE_URL) per il worker Celery")
    from celery.contrib.testing.worker import start_worker

    from psm_portal.celery import app

    with start_worker(app, perform_ping_check=False, pool="threads", concurrency=2, shutdown_timeout=10):
        yield


def _wait(check, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not check():
        time.sleep(0.2)
    time.sleep(2)  # let the remaining runs finish: they must find nothing to send


def test_invitations_and_the_reminder_by_a_worker(table, team_user, mayor_a, office_a_user, stakeholder_user, worker):
    members = sorted([mayor_a.email, office_a_user.email, stakeholder_user.email])
    session = schedule(team_user, table, days=1.5)  # the service enqueues after commit
    for _ in range(2):  # sent again: the runs race on the same invitations
        send_invitations.delay(session.pk)
    _wait(lambda: len(mail.outbox) >= 3)
    assert sorted(m.to[0] for m in mail.outbox) == members
    mail.outbox.clear()
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + timedelta(days=1))
    for _ in range(3):
        send_session_reminders.delay()
    _wait(lambda: len(mail.outbox) >= 3)
    assert sorted(m.to[0] for m in mail.outbox) == members
    assert Session.objects.get(pk=session.pk).reminder_sent_at is not None
