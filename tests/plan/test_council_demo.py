"""The demo reaches an approved plan: the final version asked for as the team does, then the council's examination,
three amendments with their outcomes and the deliberation approving it with the 2027 agenda; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from plan.models import AmendmentState, Deliberation, Examination, PlanDocument
from projects.models import Agenda, AgendaStatus

pytestmark = pytest.mark.django_db


def _seed(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("stub_renderer", "media")
def test_the_demo_reaches_an_approved_plan_with_its_amendments_and_agenda(django_capture_on_commit_callbacks):
    output = _seed(django_capture_on_commit_callbacks)
    deliberation = Deliberation.objects.approving().get()
    assert f"{deliberation.label}: approvato il Piano finale v1 con 3 emendamenti" in output
    assert deliberation.document.is_published and deliberation.document_sha256 == deliberation.document.sha256
    assert deliberation.pdf.read().startswith(b"%PDF-1.4")
    states = sorted(deliberation.examination.amendments.values_list("state", flat=True))
    assert states == sorted([AmendmentState.APPROVED, AmendmentState.REJECTED, AmendmentState.INADMISSIBLE])
    agenda = Agenda.objects.get(year=2027, status=AgendaStatus.APPROVED)
    assert deliberation.agenda == agenda and agenda.approved_by_act == deliberation.label
    _seed(django_capture_on_commit_callbacks)
    assert (Examination.objects.count(), Deliberation.objects.count(), PlanDocument.objects.count()) == (1, 1, 1)


def test_without_a_ready_version_the_demo_asks_for_it_and_waits(media):
    output = StringIO()
    call_command("seed_demo", stdout=output)  # the commit never comes inside a test's transaction
    assert "Piano finale v1: richiesto al worker." in output.getvalue()
    assert not Examination.objects.exists()
