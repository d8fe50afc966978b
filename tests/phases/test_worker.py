"""The reminder task on a real Celery worker and Redis: one e-mail per mayor per day, however often it runs."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core import mail

from phases.factories import VisionVersionFactory
from phases.models import Reminder
from phases.tasks import send_reminders
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("serve REDIS_URL e PostgreSQL (DATABASE_URL) per il worker Celery")
    from celery.contrib.testing.worker import start_worker

    from psm_portal.celery import app

    with start_worker(app, perform_ping_check=False, pool="threads", concurrency=2, shutdown_timeout=10):
        yield


def test_reminders_sent_by_a_worker_once_a_day(reference_data, listening_now, mayor_a, mayor_b, worker):
    version = VisionVersionFactory(number=1, open_for_review=True)
    for _ in range(3):  # three clicks: the runs race on the same mayors
        send_reminders.delay(version.pk)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (Reminder.objects.count() < 2 or len(mail.outbox) < 2):
        time.sleep(0.2)
    time.sleep(3)  # let the remaining runs finish: they must find nothing to send
    assert Reminder.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["mayor.a@test.local", "mayor.b@test.local"]
