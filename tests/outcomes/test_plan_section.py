"""The plan PDF lists, under each objective and project, the contributions that led to it."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from outcomes.models import Outcome
from outcomes.plan_section import contributions_fingerprint, contributions_provider
from outcomes.services import outcome_record
from phases.factories import NeedFactory
from plan.models import PlanStatus
from plan.services import plan_render, plan_request
from projects.factories import ProjectFactory, ProposalFactory
from projects.models import Publication
from tests.plan.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_provider_groups_public_targets_with_their_inputs(team_user, messina, office_a, tree):
    assert contributions_provider("draft")["available"] is False
    before = contributions_fingerprint("draft")
    need = NeedFactory(municipality=messina, title="Strada per Castanea")
    outcome_record(actor=team_user, input=need, outcome=Outcome.TAKEN, targets=[tree["A1.1"]], reason="Priorità")
    draft = ProjectFactory(office=office_a, title="Bozza riservata", publication=Publication.DRAFT)
    hidden = ProposalFactory(proposer=team_user, municipality=messina, title="Non si vede")
    outcome_record(actor=team_user, input=hidden, outcome=Outcome.TAKEN, targets=[draft])
    declined = NeedFactory(municipality=messina, title="Non accolta")
    outcome_record(actor=team_user, input=declined, outcome=Outcome.NOT_TAKEN, reason="Segreto")
    data = contributions_provider("draft")
    assert data["targets"] == [
        {
            "kind": "Obiettivo",
            "title": "A1.1 Viabilità provinciale",
            "inputs": [
                {
                    "kind": "Istanza",
                    "text": "Messina: «Strada per Castanea»",
                    "outcome": "presa in considerazione in",
                    "reason": "Priorità",
                }
            ],
        }
    ]
    assert contributions_fingerprint("draft") != before


def test_an_istanza_taken_into_account_is_printed_in_the_plan_under_its_objective(team_user, messina, tree, media):
    need = NeedFactory(municipality=messina, title="Strada per Castanea")
    outcome_record(actor=team_user, input=need, outcome=Outcome.TAKEN, targets=[tree["A1.1"]], reason="Priorità")
    document, _created = plan_request(kind="draft", user=None, enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        _reader, pages = pdf_text(handle.read())
    text = " ".join(" ".join(pages).split())  # table cells wrap their lines
    chapter = text[text.index("Dai contributi alle scelte del piano Per ogni obiettivo") :]
    assert "A1.1 Viabilità provinciale" in chapter
    assert "Strada per Castanea" in chapter[chapter.index("A1.1 Viabilità provinciale") :]
