"""Council acts written straight as rows, for the tests of what the public reads of them (the council's section
of the final plan, ``/piano/``, the verification): an examined final version, its amendments with outcomes and
an approving deliberation. The council's services are tested with their own journey."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from plan.models import (
    Amendment,
    AmendmentState,
    AmendmentTarget,
    Deliberation,
    DeliberationOutcome,
    DraftSection,
    Examination,
    ExaminationStatus,
    PlanDocument,
    PlanKind,
)
from projects.factories import ProjectFactory
from psm_portal.accounts.factories import OfficeFactory
from tests.plan.conftest import make_document

OUTCOMES = [AmendmentState.APPROVED, AmendmentState.REJECTED, AmendmentState.WITHDRAWN, AmendmentState.INADMISSIBLE]


def frozen_projects(count: int) -> list[dict]:
    """The projects list as a deliberation freezes it."""
    return [
        {
            "id": index + 1,
            "cup": f"B{index:02d}E{index + 1:010d}",
            "title": f"Progetto approvato {index + 1}",
            "amount": f"{(index + 1) * 1234567 + 0.5:.2f}",
            "year": 2027 + index % 3,
        }
        for index in range(count)
    ]


def approved_plan(
    *,
    team,
    secretary,
    councillor,
    amendments: int = 4,
    projects: int = 5,
    number: int = 12,
    document=None,
    agenda=None,
    outcome: str = DeliberationOutcome.APPROVED,
    corrects: Deliberation | None = None,
) -> Deliberation:
    """An approving deliberation on ``document`` (a new published final version if None) with ``amendments``
    amendments in turn approved, rejected, withdrawn and inadmissible, even ones on a project's amount, odd ones
    on the Vision's text; with ``agenda`` (approved with the plan), one more amendment on its first action.
    Written once, never updated: on PostgreSQL a trigger refuses any change to a recorded deliberation."""
    if document is None:
        version = PlanDocument.objects.filter(kind=PlanKind.FINAL).count() + 1
        document = make_document(kind=PlanKind.FINAL, version=version, published=True)
    now = timezone.now()
    examination = Examination.objects.create(
        document=document,
        opened_by=team,
        opened_at=now - timedelta(days=30),
        amendments_open_from=now - timedelta(days=30),
        amendments_close_at=now - timedelta(days=10),
        status=ExaminationStatus.APPROVED,
        agenda=agenda,
    )
    office = OfficeFactory() if amendments else None
    for index in range(amendments):
        state = OUTCOMES[index % len(OUTCOMES)]
        on_project = not index % 2  # even numbers change a project's amount, odd ones the Vision's text
        voted = state in (AmendmentState.APPROVED, AmendmentState.REJECTED)
        Amendment.objects.create(
            examination=examination,
            number=index + 1,
            author=councillor,
            target=AmendmentTarget.PROJECT_AMOUNT if on_project else AmendmentTarget.SECTION,
            section="" if on_project else DraftSection.VISION,
            project=ProjectFactory(office=office, title=f"Porto {index + 1}") if on_project else None,
            text=f"Testo proposto dall'emendamento {index + 1}.",
            amount=Decimal("987654.32") if on_project else None,
            motivation="Motivazione.",
            state=state,
            present=20 if voted else None,
            votes_for=(13 if state == AmendmentState.APPROVED else 6) if voted else None,
            votes_against=(5 if state == AmendmentState.APPROVED else 11) if voted else None,
            abstained=2 if voted else None,
            decided_at=now - timedelta(days=5),
            decided_by=secretary,
        )
    if agenda is not None:
        Amendment.objects.create(
            examination=examination,
            number=amendments + 1,
            author=councillor,
            target=AmendmentTarget.ACTION,
            action=agenda.actions.order_by("position").first(),
            text="Anticipare l'avvio al primo trimestre.",
            motivation="Motivazione.",
            state=AmendmentState.APPROVED,
            present=20,
            votes_for=16,
            votes_against=3,
            abstained=1,
            decided_at=now - timedelta(days=5),
            decided_by=secretary,
        )
    return Deliberation.objects.create(
        agenda=agenda,
        number=number,
        year=2027,
        date=date(2027, 6, 30),
        session="seduta ordinaria del 30/06/2027",
        present=22,
        votes_for=15,
        votes_against=4,
        abstained=3,
        outcome=outcome,
        corrects=corrects,
        pdf="delibere/delibera-12-2027.pdf",
        pdf_sha256="cd" * 32,
        examination=examination,
        document=document,
        document_sha256=document.sha256,
        projects=frozen_projects(projects),
        recorded_by=secretary,
    )
