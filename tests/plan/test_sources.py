"""The real providers: the Vision, the objectives tree, the questionnaire and the istanze in the printed plan."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from municipalities.models import Municipality
from outcomes.models import Outcome
from outcomes.services import outcome_record
from phases import plan_section as phases_section
from phases.factories import IndicatorFactory, NeedFactory, ObjectiveFactory, VisionVersionFactory
from phases.models import VisionStatus
from plan.document import build_context, canonical_json, render_html
from plan.services import plan_render, plan_request, plan_snapshot
from projects import plan_section as projects_section
from projects.factories import ProjectFactory
from projects.models import Publication
from surveys import plan_section as surveys_section
from surveys.answers import Structure
from surveys.demo import random_answers
from surveys.factories import every_kind_questionnaire
from surveys.services import response_submit
from surveys.spreading import responses_spread_all
from tests.plan.conftest import pdf_text
from vocations.models import Scenario, Vocation

pytestmark = pytest.mark.django_db

MESSINA = "083048"
LIPARI = "083041"
RANKING = "Metti in ordine le priorità per i prossimi tre anni"
VISION = "Messina metropolitana, porta del Mediterraneo tra lo Stretto e le Eolie."


def _tree(axes: int = 1, indicators: int = 1) -> list:
    """``axes`` axes, each with one general and two specific objectives, every node with its indicators."""
    specific = []
    for a in range(1, axes + 1):
        axis = ObjectiveFactory(order=a, title=f"Asse numero {a}")
        general = ObjectiveFactory(parent=axis, order=1, title=f"Obiettivo generale {a}")
        for s in (1, 2):
            specific.append(ObjectiveFactory(parent=general, order=s, title=f"Obiettivo specifico {a}.{s}"))
        for node in (axis, general, *specific[-2:]):
            for i in range(indicators):
                IndicatorFactory(objective=node, name=f"Indicatore di {node.code} n. {i + 1}", order=i)
    return specific


def _questionnaire(responses: int = 2):
    survey = every_kind_questionnaire(slug="futuro", title="Il futuro del territorio", results_published=True)
    structure = Structure.load(survey)
    rng = random.Random(3)
    codes = [MESSINA, LIPARI]
    for _ in range(responses):
        response_submit(
            questionnaire=survey,
            answers=random_answers(structure, rng, codes, [1, 1]),
            structure=structure,
            municipality_codes=codes,
        )
    return survey


def _vision():
    VisionVersionFactory(number=1, title="Prima bozza pubblica", status=VisionStatus.CLOSED)
    return VisionVersionFactory(
        number=2,
        title="Messina 2030",
        text=f"<p>{VISION}</p>",
        status=VisionStatus.ADOPTED,
        adopted_at=timezone.now(),
    )


def test_the_pdf_prints_the_portal_s_vision_objectives_questionnaire_and_istanze(media):
    _vision()
    specific = _tree(axes=1, indicators=2)
    _questionnaire(responses=3)
    NeedFactory(municipality_id=MESSINA)
    NeedFactory(municipality_id=MESSINA)
    need = NeedFactory(municipality_id=LIPARI)
    # The contributions' chapter (read back in tests/outcomes/test_plan_section.py).
    outcome_record(actor=None, input=need, outcome=Outcome.TAKEN, targets=[specific[0]], reason="Accolta.")
    # The vocations' and scenarios' sections (their results are read back in tests/vocations/test_plan_section.py).
    Vocation.objects.create(slug="mare", name="Economia del mare", description="Porti e pesca.")
    Scenario.objects.create(slug="tendenziale", title="Scenario tendenziale", narrative="Come oggi.", assumptions="-")

    document, created = plan_request(kind="draft", enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.error == ""
    with default_storage.open(document.file.name, "rb") as handle:
        _reader, pages = pdf_text(handle.read())
    text = "\n".join(pages)
    flat = " ".join(text.split())
    dense = "".join(text.split())

    assert VISION in flat
    assert "Versione 2 della Visione" in flat
    for node in [specific[0].parent.parent, specific[0].parent, *specific]:
        assert node.code in text, node.code
        assert node.title in flat
        for indicator in node.indicators.all():
            assert indicator.name in flat
    questionnaire = document.snapshot["sections"]["questionnaire"]
    assert questionnaire["responses"] == 3
    assert sum(questionnaire["by_municipality"].values()) == 3
    charts = {q["title"]: q for q in questionnaire["questions"]}
    assert {"Quale mezzo usi di più?", "Il territorio metropolitano è ben collegato", RANKING} <= set(charts)
    assert charts[RANKING]["chart"] == "ranking"
    assert charts["Quanti minuti impieghi per lo spostamento?"]["chart"] == "number"
    assert "In quale comune vivi?" not in charts  # the map shows residence
    assert "Che cosa dovrebbe cambiare nei prossimi anni?" not in charts  # open answers are never printed
    assert "Quale mezzo usi di più?" in flat
    for label in ["Auto", "Autobus", "Treno", "Nave o aliscafo"]:
        assert "".join(label.split()) in dense
    # The ranking: its chart (average places as SVG text) and its table with the average place.
    assert RANKING in flat and "Posizione media" in flat
    ranked = [row for row in charts[RANKING]["rows"] if row["count"]]
    assert ranked
    for row in ranked:
        assert "".join(row["label"].split()) in dense
        assert row["extra"] in dense
    # The participation map is in responses per 1,000 inhabitants, like the results page's.
    assert "risposte ogni 1.000 abitanti" in flat
    assert document.snapshot["sections"]["needs"] == {"available": True, "by_municipality": {LIPARI: 1, MESSINA: 2}}
    for key in ["vision", "objectives", "questionnaire", "needs", "vocations", "scenarios"]:
        assert document.snapshot["sections"][key]["available"] is True
    # Every section of the draft now has its data: no chapter, map or annex cell is marked missing.
    assert "non ancora disponibile" not in flat.lower()


def _svgs(html: str) -> dict[str, str]:
    """The questionnaire's charts in a page, by their id."""
    return {
        m.group(1): m.group(0) for m in re.finditer(r'<svg [^>]*aria-labelledby="(grafico-\d+)-t.*?</svg>', html, re.S)
    }


def test_the_pdf_draws_the_same_svg_charts_as_the_results_page(client):
    survey = _questionnaire(responses=4)
    web = _svgs(client.get(reverse("surveys:results", args=[survey.slug])).content.decode())
    snapshot = plan_snapshot(kind="draft")
    with translation.override("it"):
        context = build_context(snapshot, kind="draft", version=1, created=timezone.now())
        printed = _svgs(render_html(context))
    charted = [q for q in snapshot["sections"]["questionnaire"]["questions"] if q["chart"] != "number"]
    assert {q["chart"] for q in charted} == {"bars", "likert", "ranking"}
    assert set(printed) == {q["id"] for q in charted}
    for question in charted:
        # The same markup, from the same template and the same rows: same picture on the web and on paper.
        assert printed[question["id"]] == web[question["id"]], question["title"]
        assert 'font-size="15"' in printed[question["id"]] and "style=" not in printed[question["id"]]
    assert len(web) == len(printed) + 1  # the web also charts the comune of residence, the PDF maps it


def test_the_snapshot_is_stable_and_plain_json():
    _vision()
    _tree(axes=2)
    _questionnaire(responses=2)
    NeedFactory(municipality_id=LIPARI)
    first = plan_snapshot(kind="final")
    second = plan_snapshot(kind="final")
    assert canonical_json(first) == canonical_json(second)
    json.dumps(first)  # plain JSON types only: nothing needs DjangoJSONEncoder
    assert first["sections"]["vision"]["approved_on"] == timezone.localdate().isoformat()
    indicator = first["sections"]["objectives"]["items"][0]["indicators"][0]
    assert indicator == {
        "name": "Indicatore di A n. 1",
        "unit": "%",
        "baseline": "10.00",
        "target": "20.00",
        "year": 2030,
    }
    assert [node["code"] for node in first["sections"]["objectives"]["items"]] == ["A", "B"]


def test_the_vision_falls_back_to_the_open_then_the_latest_published_version():
    VisionVersionFactory(number=1, title="Chiusa", status=VisionStatus.CLOSED)
    VisionVersionFactory(number=3, title="Bozza", status=VisionStatus.DRAFT)
    assert phases_section.vision_provider("draft")["title"] == "Chiusa"
    VisionVersionFactory(number=2, title="In consultazione", open_for_review=True)
    assert phases_section.vision_provider("draft") == {
        "title": "In consultazione",
        "html": "<p>La Città Metropolitana di Messina, ponte tra Sicilia e continente.</p>",
        "version": 2,
    }


def test_without_data_the_sections_stay_not_yet_available():
    for provider in [
        phases_section.vision_provider,
        projects_section.objectives_provider,
        surveys_section.questionnaire_provider,
        phases_section.needs_provider,
    ]:
        assert provider("draft")["available"] is False
    survey = _questionnaire(responses=1)
    survey.set_results_published(False)
    assert surveys_section.questionnaire_provider("draft")["available"] is False  # results not public: not printed


def test_published_projects_hang_on_their_specific_objectives():
    specific = _tree()
    messina = Municipality.objects.get(pk=MESSINA)
    project = ProjectFactory(
        title="Porto di Tremestieri",
        municipalities=[messina],
        funding={"pnrr": Decimal("600000.00"), "fsc": Decimal("400000.00")},
        total_cost=Decimal("1000000.00"),
    )
    project.objectives.set([specific[0]])
    hidden = ProjectFactory(title="Bozza d'ufficio", publication=Publication.DRAFT)
    hidden.objectives.set([specific[0]])
    tree = projects_section.objectives_provider("draft")["items"]
    first, second = tree[0]["children"][0]["children"]
    assert second["projects"] == []
    assert first["projects"] == [
        {
            "title": "Porto di Tremestieri",
            "cup": project.cup,
            "cost": "1000000.00",
            "funding": [
                {"source": "Fondo Sviluppo e Coesione (FSC)", "amount": "400000.00"},
                {"source": "PNRR", "amount": "600000.00"},
            ],
            "municipalities": ["Messina"],
            "status": "finanziato",
        }
    ]


def _queries(provider) -> int:
    with CaptureQueriesContext(connection) as context:
        provider("draft")
    return len(context.captured_queries)


def test_each_provider_s_queries_do_not_grow_with_the_data():
    providers = [
        phases_section.vision_provider,
        projects_section.objectives_provider,
        surveys_section.questionnaire_provider,
        phases_section.needs_provider,
    ]
    _vision()
    specific = _tree(axes=1, indicators=1)
    survey = _questionnaire(responses=1)
    NeedFactory(municipality_id=MESSINA)
    ProjectFactory().objectives.set(specific[:1])
    responses_spread_all()  # the steady state: the worker spreads responses a moment after they arrive
    small = [_queries(p) for p in providers]

    more = _tree(axes=4, indicators=3)
    VisionVersionFactory(number=5, title="Altra", status=VisionStatus.CLOSED)
    structure = Structure.load(survey)
    codes = list(Municipality.objects.values_list("istat_code", flat=True)[:6])
    rng = random.Random(5)
    for _ in range(8):
        answers = random_answers(structure, rng, codes, [1] * len(codes))
        response_submit(questionnaire=survey, answers=answers, structure=structure, municipality_codes=codes)
    for code in codes:
        NeedFactory(municipality_id=code)
    for index in range(6):
        ProjectFactory(municipalities=list(Municipality.objects.all()[:3])).objectives.set(more[index : index + 2])
    responses_spread_all()
    large = [_queries(p) for p in providers]
    assert large == small
    assert max(large) <= 8


def test_the_questionnaire_section_counts_every_stored_response(monkeypatch):
    """In the worker the section spreads all that is pending, past what one page view would."""
    from surveys import spreading
    from surveys.models import Response

    monkeypatch.setattr(spreading, "SPREAD_BATCH", 2)
    count = 2 * spreading.READER_ROUNDS + 3
    _questionnaire(responses=count)
    section = surveys_section.questionnaire_provider("draft")
    assert section["responses"] == count
    assert not Response.objects.pending().exists()
