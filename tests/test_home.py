"""The home page says which phase is running with its dates, what each kind of visitor may do now, and the
visitor's main call to action; its queries do not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phases.factories import VisionVersionFactory
from phases.models import Phase
from phases.phases import PhaseKey
from surveys.factories import QuestionnaireFactory
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(db):
    now = timezone.now()
    Phase.objects.filter(key=PhaseKey.LISTENING).update(
        starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=80)
    )
    Phase.objects.filter(key=PhaseKey.AGENDA).update(
        starts_at=now + timedelta(days=80), ends_at=now + timedelta(days=170)
    )
    Phase.objects.filter(key=PhaseKey.FINAL).update(
        starts_at=now + timedelta(days=170), ends_at=now + timedelta(days=260)
    )
    return Phase.objects.get(key=PhaseKey.LISTENING)


def _buttons(html: str) -> list[str]:
    section = html[html.index('id="adesso"') : html.index("</section>", html.index('id="adesso"'))]
    return re.findall(r'class="btn (btn-primary|btn-outline-primary)" href="([^"]+)">([^<]+)</a>', section)


@pytest.mark.parametrize("who", CAST)
def test_the_home_says_which_phase_runs_with_its_dates_and_who_can_do_what(listening, login, cast, office_a, who):
    html = login(cast(who)).get(reverse("home")).content.decode()
    start = timezone.localtime(listening.starts_at).strftime("%d/%m/%Y")
    end = timezone.localtime(listening.ends_at).strftime("%d/%m/%Y")
    assert "Adesso: fase «Ascolto e Schema generale»" in html and f"In corso dal {start} al {end}." in html
    assert "<strong>Cittadini</strong>: rispondere al questionario" in html
    assert "<strong>Sindaco o delegato comunale</strong>: esaminare la Visione e prendere posizione" in html


def test_the_main_call_to_action_is_the_open_questionnaire(listening, client):
    questionnaire = QuestionnaireFactory(title="Messina 2030")
    (primary, *others) = _buttons(client.get(reverse("home")).content.decode())
    assert primary == ("btn-primary", questionnaire.get_absolute_url(), "Rispondi al questionario")
    assert ("btn-outline-primary", reverse("phases:vision"), "Leggi la Visione") in others


def test_without_a_questionnaire_a_citizen_is_asked_to_read_the_vision(listening, client):
    assert _buttons(client.get(reverse("home")).content.decode())[0][2] == "Leggi la Visione"


def test_a_mayor_is_asked_for_the_positions_first_while_a_review_is_open(listening, login, mayor_a):
    VisionVersionFactory(number=1, open_for_review=True)
    QuestionnaireFactory()
    buttons = _buttons(login(mayor_a).get(reverse("home")).content.decode())
    assert [label for _look, _url, label in buttons][:3] == [
        "Dai le posizioni sulla Visione",
        "Invia un&#x27;istanza del tuo comune",
        "Rispondi al questionario",
    ]
    assert buttons[0][0] == "btn-primary"


def test_between_phases_the_home_names_the_next_one(client):
    now = timezone.now()
    Phase.objects.filter(key=PhaseKey.LISTENING).update(
        starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=1)
    )
    Phase.objects.filter(key=PhaseKey.AGENDA).update(
        starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=90)
    )
    Phase.objects.filter(key=PhaseKey.FINAL).update(
        starts_at=now + timedelta(days=90), ends_at=now + timedelta(days=180)
    )
    html = client.get(reverse("home")).content.decode()
    assert "Nessuna fase è in corso: la fase «Agenda strategica» inizia il" in html
    assert _buttons(html) == [("btn-primary", reverse("phases:timeline"), "Il calendario delle fasi")]


@pytest.mark.parametrize("who", ["anonymous", "mayor_a", "office_a_user"])
def test_the_home_costs_the_same_queries_with_more_data(listening, login, cast, office_a, who):
    client = login(cast(who))

    def visit() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    VisionVersionFactory(number=1, open_for_review=True)
    QuestionnaireFactory()
    small = visit()
    for number in range(2, 8):
        VisionVersionFactory(number=number)
    for _index in range(10):
        QuestionnaireFactory()
    assert visit() == small


def test_without_the_database_the_home_still_explains_the_process(client, monkeypatch):
    from django.db import OperationalError

    def unreachable(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("psm_portal.views.home_context", unreachable)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200 and "Il processo in tre fasi" in html and 'id="adesso"' not in html
