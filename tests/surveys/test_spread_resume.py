"""Responses left pending by a spreading run that died: the sweeper asks a worker for a new run, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Response, SpreadingJob
from surveys.services import response_submit
from surveys.spreading import responses_spread_run, spreading_resume_stale
from surveys.tasks import spread_responses
from tests.surveys.conftest import full_answers

pytestmark = pytest.mark.django_db

STALE = timedelta(hours=1)


@pytest.fixture
def enqueued(monkeypatch):
    """The spreading runs asked for, instead of running them."""
    calls = []
    monkeypatch.setattr(spread_responses, "delay", lambda: calls.append("run"))
    return calls


@pytest.fixture
def left_pending(survey, q, enqueued):
    """Two responses stored; the run that took them died in its batch (rolled back) an hour ago."""
    for _ in range(2):
        response_submit(questionnaire=survey, answers=full_answers(q))
    enqueued.clear()  # the runs the submissions asked for: the worker that took them died
    SpreadingJob.objects.update_or_create(pk=1, defaults={"active_at": timezone.now() - STALE})
    assert Response.objects.pending().count() == 2


def _sweep(capture, *, now=None, execute=False) -> int:
    with capture(execute=execute):
        return spreading_resume_stale(now=now)


def test_pending_responses_and_no_run_for_a_while_ask_for_a_run_once(
    left_pending, enqueued, django_capture_on_commit_callbacks
):
    # First sighting: a run asked by a submission may be on its way.
    assert _sweep(django_capture_on_commit_callbacks, execute=True) == 0 and enqueued == []
    later = timezone.now() + STALE
    assert _sweep(django_capture_on_commit_callbacks, now=later, execute=True) == 1
    assert enqueued == ["run"]
    job = SpreadingJob.objects.get()
    assert job.resumes == 1 and job.resumed_at == later
    # A second sweeper at the same moment finds the job handed out: it asks nothing.
    assert _sweep(django_capture_on_commit_callbacks, now=later, execute=True) == 0
    assert enqueued == ["run"]
    assert responses_spread_run() == 2  # the run asked for
    assert not Response.objects.pending().exists()


def test_a_run_at_work_is_left_alone(left_pending, enqueued, django_capture_on_commit_callbacks):
    assert _sweep(django_capture_on_commit_callbacks) == 0
    SpreadingJob.objects.update(active_at=timezone.now() + STALE - timedelta(seconds=30))  # a run started
    assert _sweep(django_capture_on_commit_callbacks, now=timezone.now() + STALE, execute=True) == 0
    assert enqueued == [] and SpreadingJob.objects.get().resumes == 0


def test_nothing_pending_asks_nothing_and_forgets_what_it_saw(survey, q, enqueued, django_capture_on_commit_callbacks):
    assert _sweep(django_capture_on_commit_callbacks, now=timezone.now() + STALE, execute=True) == 0
    response_submit(questionnaire=survey, answers=full_answers(q))
    assert _sweep(django_capture_on_commit_callbacks) == 0  # seen waiting
    assert SpreadingJob.objects.get().pending_seen_at is not None
    responses_spread_run()  # the worker's run, a moment later
    assert _sweep(django_capture_on_commit_callbacks, now=timezone.now() + STALE, execute=True) == 0
    assert enqueued == [] and SpreadingJob.objects.get().pending_seen_at is None


def test_a_run_marks_the_job_as_it_starts_and_ends(survey, q):
    before = timezone.now()
    SpreadingJob.objects.all().delete()  # made when first needed
    responses_spread_run()
    assert SpreadingJob.objects.get().active_at >= before
