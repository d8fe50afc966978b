"""The request's cheap fingerprint: it moves with every change that can reach the document, in every section."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipalities.models import Municipality
from phases.factories import IndicatorFactory, NeedFactory, ObjectiveFactory, VisionVersionFactory
from phases.models import Indicator, Objective, Phase, VisionStatus, VisionVersion
from plan.sections import fingerprint, fingerprint_paths
from projects.factories import ProjectFactory
from projects.models import FundingLine, Project
from surveys.answers import Structure
from surveys.demo import random_answers
from surveys.factories import every_kind_questionnaire
from surveys.models import Option, Tally
from surveys.services import response_submit
from surveys.spreading import responses_spread_all
from surveys.tallies import tally_rebuild
from tests.plan.synthetic import PROVIDERS

pytestmark = pytest.mark.django_db

MESSINA, LIPARI = "083048", "083041"


@pytest.fixture
def plan_data():
    VisionVersionFactory(
        number=1, title="Messina 2030", text="<p>Visione.</p>", status=VisionStatus.ADOPTED, adopted_at=timezone.now()
    )
    axis = ObjectiveFactory(order=1, title="Territorio connesso")
    general = ObjectiveFactory(parent=axis, order=1, title="Muoversi meglio")
    specific = ObjectiveFactory(parent=general, order=1, title="Porti e approdi")
    IndicatorFactory(objective=specific, name="Passeggeri", order=0)
    project = ProjectFactory(
        title="Approdo di Alicudi",
        municipalities=[Municipality.objects.get(pk=LIPARI)],
        objectives=[specific],
        funding={"pnrr": Decimal("250000.00")},
    )
    survey = every_kind_questionnaire(slug="futuro", title="Il futuro", results_published=True)
    structure = Structure.load(survey)
    response_submit(
        questionnaire=survey,
        answers=random_answers(structure, random.Random(1), [MESSINA, LIPARI], [1, 1]),
        structure=structure,
    )
    responses_spread_all()  # as the worker does
    NeedFactory(municipality_id=MESSINA)
    return {"project": project, "specific": specific, "survey": survey, "structure": structure}


def _answer_again(data):
    response_submit(
        questionnaire=data["survey"],
        answers=random_answers(data["structure"], random.Random(2), [MESSINA, LIPARI], [1, 1]),
        structure=data["structure"],
    )


CHANGES = {
    # Every change is made with update() or bulk writes, which no signal and no auto_now would notice.
    "phase dates": lambda d: Phase.objects.filter(key="agenda").update(description="Tavoli rinnovati"),
    "vision text": lambda d: VisionVersion.objects.update(text="<p>Un'altra visione.</p>"),
    "vision title": lambda d: VisionVersion.objects.update(title="Messina 2031"),
    "objective title": lambda d: Objective.objects.filter(pk=d["specific"].pk).update(title="Porti"),
    "indicator target": lambda d: Indicator.objects.update(target=Decimal("12.5")),
    "project cost": lambda d: Project.objects.update(total_cost=Decimal("1.00")),
    "project status": lambda d: Project.objects.update(status="completed"),
    "funding amount": lambda d: FundingLine.objects.update(amount=Decimal("9.00")),
    "project comuni": lambda d: d["project"].municipalities.add(Municipality.objects.get(pk=MESSINA)),
    "project objectives": lambda d: d["project"].objectives.clear(),
    "new project": lambda d: ProjectFactory(objectives=[d["specific"]]),
    "a new response": _answer_again,
    "counts rebuilt": lambda d: (Tally.objects.update(count=0), tally_rebuild(questionnaire=d["survey"])),
    "option label": lambda d: Option.objects.filter(question__questionnaire=d["survey"]).update(label="Nuova"),
    "results withdrawn": lambda d: type(d["survey"]).objects.update(results_published=False),
    "comune renamed": lambda d: Municipality.objects.filter(pk=LIPARI).update(name="Lipari (Eolie)"),
    "comune population": lambda d: Municipality.objects.filter(pk=LIPARI).update(population=1),
    "new istanza": lambda d: NeedFactory(municipality_id=LIPARI),
}


def test_the_same_data_gives_the_same_fingerprint(plan_data):
    assert fingerprint("draft") == fingerprint("draft")
    assert fingerprint("draft") != fingerprint("final")


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_that_can_reach_the_document_moves_the_fingerprint(plan_data, change):
    before = {kind: fingerprint(kind) for kind in ("draft", "final")}
    CHANGES[change](plan_data)
    assert fingerprint("draft") != before["draft"]
    assert fingerprint("final") != before["final"]


def test_the_fingerprint_costs_a_constant_number_of_queries(plan_data):
    with CaptureQueriesContext(connection) as few:
        fingerprint("final")
    for index in range(20):
        ProjectFactory(objectives=[plan_data["specific"]], funding={"fsc": Decimal(index + 1)})
        _answer_again(plan_data)
    with CaptureQueriesContext(connection) as many:
        fingerprint("final")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_overridden_provider_without_a_fingerprint_is_fingerprinted_by_its_output(settings):
    settings.PSM_PLAN_PROVIDERS = dict(PROVIDERS)
    assert "objectives" not in fingerprint_paths()
    first = fingerprint("draft")
    settings.PSM_PLAN_SYNTHETIC = {"objectives": 12, "projects": 10, "questions": 2}
    assert fingerprint("draft") != first
