"""``/piano/`` shows the approved plan first, and ``/piano/verifica/`` names the act that approved a copy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plan.models import DeliberationOutcome, PlanKind
from projects.factories import AgendaActionFactory, AgendaFactory
from tests.conftest import CAST
from tests.plan.conftest import make_document
from tests.plan.council_rows import approved_plan

pytestmark = pytest.mark.django_db

URL = "/piano/"


@pytest.fixture
def people(team_user, secretary_user, council_user):
    return {"team": team_user, "secretary": secretary_user, "councillor": council_user}


def _flat(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("name", CAST)
def test_everyone_sees_the_approved_plan_first(name, cast, login, people, media):
    agenda = AgendaFactory(year=2027)
    AgendaActionFactory(agenda=agenda, position=1, title="Progettazione del porto")
    deliberation = approved_plan(**people, amendments=4, agenda=agenda)
    make_document(kind=PlanKind.DRAFT, version=1, published=True)
    html = _flat(login(cast(name)).get(URL))
    approved = html.index("Il piano approvato")
    assert approved < html.index("Tutte le versioni pubblicate")
    assert (
        "Il Consiglio metropolitano ha approvato il piano con la Delibera n. 12/2027 del 30/06/2027 "
        "(seduta ordinaria del 30/06/2027)."
    ) in html
    assert "22 presenti: 15 favorevoli, 4 contrari, 3 astenuti" in html
    assert f'<code class="psm-hash">{deliberation.document_sha256}</code>' in html
    assert f'{reverse("plan:download", args=[deliberation.document_id])}">Piano finale, versione 1</a>' in html
    assert f"/piano/verifica/?sha256={deliberation.document_sha256}" in html
    # The amendments with their outcomes, and the votes of those voted.
    for number, outcome in [(1, "approvato"), (2, "respinto"), (3, "ritirato"), (4, "inammissibile")]:
        assert f"<strong>Emendamento n. {number}</strong>" in html
        assert f"Esito: {outcome}" in html
    assert "Cambiare l&#x27;importo di un progetto: Porto 1 — € 987.654,32" in html
    assert "Una sezione del testo del piano: La Visione" in html
    assert "20 presenti: 13 favorevoli, 5 contrari, 2 astenuti" in html
    assert "20 presenti: 6 favorevoli, 11 contrari, 2 astenuti" in html
    # The agenda approved with the plan, and the amendment to one of its actions.
    assert '<a href="/agenda/2027/">Agenda annuale 2027, versione 1</a>' in html
    assert "Un&#x27;azione dell&#x27;agenda annuale: A2027.1 Progettazione del porto" in html
    assert "20 presenti: 16 favorevoli, 3 contrari, 1 astenuti" in html


def test_without_an_approving_deliberation_only_the_published_versions_are_listed(client, people, media):
    make_document(kind=PlanKind.DRAFT, version=1, published=True)
    html = _flat(client.get(URL))
    assert "Il piano approvato" not in html and "Tutte le versioni pubblicate" not in html
    approved_plan(**people, outcome=DeliberationOutcome.REJECTED)
    assert "Il piano approvato" not in _flat(client.get(URL))


def test_a_correction_is_shown_in_place_of_the_act_it_corrects(client, people, media):
    first = approved_plan(**people)
    approved_plan(**people, number=13, document=first.document, corrects=first)
    html = _flat(client.get(URL))
    assert "Delibera n. 13/2027" in html and "La delibera corregge la Delibera n. 12/2027." in html


def test_the_english_page_shows_the_approved_plan(client, people, media):
    approved_plan(**people)
    html = _flat(client.get("/en/piano/"))
    assert "The approved plan" in html and "22 present: 15 for, 4 against, 3 abstained" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_queries_at_two_sizes(client, people, media):
    approved_plan(**people, amendments=3, projects=50)
    make_document(kind=PlanKind.DRAFT, version=1, published=True)
    few = _queries(client)
    approved_plan(**people, amendments=80, projects=2000, number=30)  # the latest act is the one in force
    for version in range(2, 40):
        make_document(kind=PlanKind.DRAFT, version=version, published=True)
    assert _queries(client) == few


def test_the_verification_names_the_deliberation_that_approved_the_copy(client, people, media):
    deliberation = approved_plan(**people)
    html = _flat(client.get("/piano/verifica/", {"sha256": deliberation.document_sha256}))
    assert "È la versione 1 del piano (Piano finale), approvata con Delibera n. 12/2027 del 30/06/2027." in html
    # A correction takes over.
    approved_plan(**people, number=13, document=deliberation.document, corrects=deliberation)
    html = _flat(client.get("/piano/verifica/", {"sha256": deliberation.document_sha256}))
    assert "approvata con Delibera n. 13/2027 del 30/06/2027." in html


def test_a_rejected_act_approves_nothing(client, people, media):
    rejected = approved_plan(**people, outcome=DeliberationOutcome.REJECTED)
    html = _flat(client.get("/piano/verifica/", {"sha256": rejected.document_sha256}))
    assert "È la versione 1 del piano (Piano finale), pubblicata il" in html
    assert "approvata con" not in html
