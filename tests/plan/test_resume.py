"""A plan document whose worker died is handed out again by the sweeper: once, from the start, and it says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plan import services
from plan.models import PlanDocument, PlanStatus
from plan.services import RESUME_LIMIT, plan_render, plan_request, plan_resume_stale

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(hours=1)
RESUMED = "in coda — lavoro ripreso dopo un'interruzione"


@pytest.fixture
def killed_mid_render(media):
    """A document whose worker claimed it, got to 95 % and died (a PDF half written may be left behind)."""
    document, _ = plan_request(kind="draft", enqueue=False)
    PlanDocument.objects.filter(pk=document.pk).update(
        status=PlanStatus.RENDERING, claim="a" * 32, attempts=1, progress=95, started_at=timezone.now() - LONG_AGO
    )
    document.refresh_from_db()
    return document


def test_a_stale_render_is_resumed_once_and_rendered_once(
    killed_mid_render, login, team_user, django_capture_on_commit_callbacks
):
    document = killed_mid_render
    client = login(team_user)
    assert client.get(reverse("plan:status", args=[document.pk])).json()["progress"] == 95
    with django_capture_on_commit_callbacks() as sent:
        assert plan_resume_stale() == 1
    assert len(sent) == 1
    document.refresh_from_db()
    assert (document.status, document.claim, document.progress) == (PlanStatus.QUEUED, "", 0)
    assert document.resumes == 1 and document.resumed_at is not None
    status = client.get(reverse("plan:status", args=[document.pk])).json()
    assert (status["status_label"], status["progress"], status["resumed"], status["done"]) == (RESUMED, 0, True, False)
    assert RESUMED.replace("'", "&#x27;") in client.get(reverse("plan:progress", args=[document.pk])).content.decode()
    with django_capture_on_commit_callbacks() as again:  # a second sweep finds it freshly handed out
        assert plan_resume_stale() == 0
    assert again == []
    for task in sent:
        task()
    document.refresh_from_db()
    assert document.status == PlanStatus.READY and document.attempts == 2
    assert PlanDocument.objects.count() == 1
    page = client.get(reverse("plan:progress", args=[document.pk])).content.decode()
    assert "Ripreso dopo un'interruzione" in page


def test_the_dead_worker_cannot_finish_a_document_handed_out_again(killed_mid_render):
    document = killed_mid_render
    assert plan_resume_stale() == 1
    # The old worker's claim is gone: its final UPDATE matches nothing.
    mine = PlanDocument.objects.filter(pk=document.pk, claim="a" * 32, status=PlanStatus.RENDERING)
    assert mine.update(status=PlanStatus.READY) == 0
    assert plan_render(document_id=document.pk).status == PlanStatus.READY


def test_two_sweepers_that_saw_the_same_stale_document_resume_it_once(killed_mid_render, monkeypatch):
    document = killed_mid_render
    seen = list(PlanDocument.objects.filter(pk=document.pk).values_list("pk", "claim", "resumes"))
    assert plan_resume_stale() == 1
    monkeypatch.setattr(services, "_stale_documents", lambda cutoff: seen)  # what the other one read earlier
    assert plan_resume_stale() == 0
    document.refresh_from_db()
    assert document.resumes == 1


def test_a_fresh_claim_and_a_fresh_request_are_left_alone(killed_mid_render, django_capture_on_commit_callbacks):
    document = killed_mid_render
    PlanDocument.objects.filter(pk=document.pk).update(started_at=timezone.now() - timedelta(seconds=30))
    with django_capture_on_commit_callbacks() as sent:
        assert plan_resume_stale() == 0
    assert sent == []
    # Queued a moment ago and not taken yet: waiting for a worker, not stuck.
    PlanDocument.objects.filter(pk=document.pk).update(status=PlanStatus.QUEUED, started_at=None, claim="")
    assert plan_resume_stale() == 0
    document.refresh_from_db()
    assert document.resumes == 0 and document.resumed_at is None


def test_a_queued_document_whose_message_was_lost_is_resumed(media, django_capture_on_commit_callbacks):
    document, _ = plan_request(kind="draft", enqueue=False)
    PlanDocument.objects.filter(pk=document.pk).update(requested_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_resume_stale() == 1
    document.refresh_from_db()
    assert document.status == PlanStatus.READY and document.resumes == 1


def test_finished_documents_are_untouched(media):
    from tests.plan.conftest import make_document

    for version, status in enumerate([PlanStatus.READY, PlanStatus.FAILED, PlanStatus.SAME], start=1):
        make_document(version=version, status=status)
    PlanDocument.objects.update(requested_at=timezone.now() - LONG_AGO, started_at=timezone.now() - LONG_AGO)
    assert plan_resume_stale() == 0
    assert not PlanDocument.objects.filter(resumes__gt=0).exists()


def test_a_document_that_keeps_dying_ends_as_failed_with_a_message(killed_mid_render):
    document = killed_mid_render
    PlanDocument.objects.filter(pk=document.pk).update(resumes=RESUME_LIMIT)
    assert plan_resume_stale() == 1
    document.refresh_from_db()
    assert document.status == PlanStatus.FAILED and document.finished_at is not None
    assert document.error.startswith(f"La preparazione si è interrotta {RESUME_LIMIT + 1} volte")
    # Failed documents are not reused: asking again makes a new version.
    assert plan_request(kind="draft", enqueue=False)[1]


def test_the_soft_time_limit_ends_the_render_with_a_message(media, monkeypatch, settings):
    from celery.exceptions import SoftTimeLimitExceeded

    settings.PSM_PLAN_RENDER_TIME_LIMIT = 600

    def too_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "render_plan_pdf", too_long)
    document, _ = plan_request(kind="draft", enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.FAILED
    assert document.error == "La preparazione ha superato il tempo massimo di 10 minuti ed è stata fermata."
