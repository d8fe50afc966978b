"""The notices of formal acts on a real Celery worker and Redis: delivered three times, each goes once."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core import mail

from outcomes.models import Notice
from phases.factories import NeedFactory
from phases.tasks import notify_need_answered
from projects.factories import ProposalFactory
from projects.models import ProposalState
from projects.tasks import notify_proposal_decided
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


def test_an_answer_and_a_decision_are_told_once_however_often_the_task_runs(
    reference_data, messina, mayor_a, team_user, worker
):
    from django.utils import timezone

    need = NeedFactory(municipality=messina, reply="Presa in considerazione.", replied_at=timezone.now())
    proposal = ProposalFactory(
        proposer=mayor_a, municipality=messina, state=ProposalState.DECLINED, reason="No", decided_at=timezone.now()
    )
    for _ in range(3):  # the same task delivered three times: the runs race on the same notice
        notify_need_answered.delay(need.pk)
        notify_proposal_decided.delay(proposal.pk)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (Notice.objects.count() < 2 or len(mail.outbox) < 2):
        time.sleep(0.2)
    time.sleep(3)  # let the remaining runs finish: they must find nothing to send
    assert Notice.objects.count() == 2
    assert sorted(m.subject[:20] for m in mail.outbox) == sorted(["Il team PSM ha decis", "Il team PSM ha rispo"])
    assert [m.to for m in mail.outbox] == [[mayor_a.email], [mayor_a.email]]
