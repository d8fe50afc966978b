"""The digest on a real Celery worker and Redis: delivered twice (two deliveries of the task racing), each
subscriber gets one e-mail."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from subscriptions.models import DigestDelivery, Subscriber, Subscription, UpdateKind
from subscriptions.services import record_update
from subscriptions.tasks import send_digest
from tests.conftest import MESSINA, skip_or_fail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("serve REDIS_URL e PostgreSQL (DATABASE_URL) per il worker Celery")
    from celery.contrib.testing.worker import start_worker

    from psm_portal.celery import app

    with start_worker(app, perform_ping_check=False, pool="threads", concurrency=2, shutdown_timeout=10):
        yield


def test_a_digest_delivered_twice_sends_one_email_per_subscriber(worker, settings):
    settings.SUBSCRIPTIONS_DIGEST_BATCH = 2
    for n in range(5):
        subscriber = Subscriber.objects.create(
            email=f"p{n}@example.org", confirmed_at=timezone.now() - timedelta(days=1), confirm_token=None
        )
        Subscription.objects.create(subscriber=subscriber, topic="comune", key=MESSINA)
    Subscriber.objects.create(email="non-confermato@example.org")
    record_update(kind=UpdateKind.PROGRESS, title="Ponte: avanzamento al 40%", url="/progetti/1/", comuni=[MESSINA])
    for _ in range(2):
        send_digest.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and DigestDelivery.objects.filter(sent_at__isnull=False).count() < 5:
        time.sleep(0.2)
    time.sleep(3)  # let the other delivery finish: it must find nobody left
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in range(5)]
    assert all(m.extra_headers["List-Unsubscribe"] for m in mail.outbox)
