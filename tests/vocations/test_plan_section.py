"""The vocations' and scenarios' sections of the plan PDF: read back from a real rendering."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from municipalities.models import Area, Municipality
from phases.models import Indicator
from plan.models import PlanStatus
from plan.sections import fingerprint
from plan.services import plan_render, plan_request
from tests.plan.conftest import pdf_text
from tests.vocations.conftest import answer_for
from vocations import plan_section
from vocations.models import Priority, Scenario, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocation_data(closed_round, vocations, tree, messina, lipari):
    answer_for(closed_round, messina, [5, 2, 1], priorities=(0,))
    answer_for(closed_round, lipari, [4, 5, 2], priorities=(0, 1))
    Priority.objects.create(
        round=closed_round, area=Area.objects.get(code="eolie"), vocation=vocations[1], rationale="Isole e turismo"
    )
    indicator = Indicator.objects.get()
    trend = Scenario.objects.create(
        slug="tendenziale", title="Scenario tendenziale", narrative="Come oggi.", assumptions="Nulla cambia."
    )
    goal = Scenario.objects.create(
        slug="obiettivo",
        title="Scenario obiettivo",
        narrative="Il mare traina.",
        assumptions="Fondi.",
        order=2,
        is_reference=True,
    )
    goal.vocations.set([vocations[0]])
    Target.objects.create(scenario=trend, indicator=indicator, value=40)
    Target.objects.create(scenario=goal, indicator=indicator, value=180)


def test_the_providers_give_the_areas_results_and_scenarios(vocation_data):
    data = plan_section.vocations_provider("draft")
    assert [a["code"] for a in data["areas"]][:1] == ["stretto"] and "Messina" in data["areas"][0]["municipalities"]
    sea = data["items"][0]
    assert (sea["answers"], sea["average"], sea["priorities"]) == (2, 4.5, 2)
    assert sea["scores"] == {"083048": 5, "083041": 4}
    assert data["priorities"] == [
        {"area": "Isole Eolie", "vocation": "Turismo culturale", "rationale": "Isole e turismo"}
    ]
    scenarios = plan_section.scenarios_provider("final")
    assert [s["reference"] for s in scenarios["items"]] == [False, True]
    assert scenarios["indicators"][0]["values"] == ["40.00", "180.00"]


def test_the_fingerprint_moves_when_a_rating_or_an_area_changes(vocation_data):
    before = fingerprint("draft")
    Municipality.objects.filter(pk="083048").update(area=Area.objects.get(code="nebrodi"))
    moved = fingerprint("draft")
    assert moved != before
    Target.objects.update(value=99)
    assert fingerprint("draft") != moved


def test_the_pdf_reads_back_the_vocations_and_the_scenarios(vocation_data, private_media):
    document, _created = plan_request(kind="draft", user=None, enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        _reader, pages = pdf_text(handle.read())
    flat = " ".join(" ".join(pages).split())
    dense = "".join(flat.split())
    assert "Ambiti territoriali e vocazioni" in flat and "Gli ambiti territoriali" in flat
    assert "Area dello Stretto" in flat and "Isole Eolie" in flat
    assert "Rilevanza di «Economia del mare» per i comuni" in flat
    assert "2 comuni hanno risposto; rilevanza media 4,50; 2 comuni la indicano come priorità." in flat
    assert "Isole e turismo" in flat
    assert "Gli scenari di sviluppo" in flat and "Scenario obiettivo — scenario di riferimento" in flat
    assert "180,00" in dense and "40,00" in dense and "Confronto indicatore per indicatore" in flat
