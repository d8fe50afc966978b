"""/attuazione/ is rendered once per state of the data: a new validation, a project saved or another language or
filter gives a fresh page at once; the hand-written filter selects keep the chosen values."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation.factories import ProgressReportFactory
from implementation.services import report_validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(project_a, cycle):
    return ProgressReportFactory(cycle=cycle, project=project_a, percent=40, validated=True)


def percent_of_the_plan(client, url: str = "/attuazione/") -> str:
    html = client.get(url).content.decode()
    return re.search(r'id="totale".*?<strong>([\d,]+)%</strong>', html, re.S).group(1)


def test_a_validation_shows_at_once(client, final_phase, reported, project_a, team_user, cycle):
    from implementation.factories import ReportingCycleFactory

    assert percent_of_the_plan(client) == "40,0"
    later = ReportingCycleFactory(title="III trimestre 2027", opens_on=cycle.opens_on.replace(year=2021))
    report = ProgressReportFactory(cycle=later, project=project_a, percent=75)
    assert percent_of_the_plan(client) == "40,0"  # sent, not yet validated: not public
    report_validate(user=team_user, report=report)
    assert percent_of_the_plan(client) == "75,0"


def test_a_project_saved_shows_at_once(client, reported, project_a, project_b, cycle):
    project_b.total_cost = None
    project_b.save()
    ProgressReportFactory(cycle=cycle, project=project_b, percent=80, validated=True)
    assert percent_of_the_plan(client) == "60,0"  # project B has no cost: plain average
    project_b.total_cost = 3000000
    project_b.save()
    assert percent_of_the_plan(client) == "70,0"  # (1M × 40 + 3M × 80) / 4M


def test_a_second_visit_renders_from_the_cache(client, reported):
    client.get("/attuazione/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/attuazione/").content.decode()
    assert len(queries) <= 5 and "Avanzamento per obiettivo" in html
    english = client.get("/en/attuazione/").content.decode()
    assert "Progress by objective" in english and "Avanzamento per obiettivo" not in english  # kept per language
    assert "Tutti i comuni" in client.get("/attuazione/").content.decode()


def test_the_chosen_filters_stay_selected(client, reported, office_a):
    html = client.get(
        reverse("implementation:progress") + f"?ufficio={office_a.pk}&comune=083048&fonte=pnrr&mappa=pagato"
    )
    html = html.content.decode()
    assert f'<option value="{office_a.pk}" selected>' in html
    assert '<option value="083048" selected>Messina</option>' in html
    assert '<option value="pnrr" selected>' in html and '<option value="pagato" selected>' in html
    assert "Importi pagati per comune" in html  # the map by paid amounts, not the cached map by progress
    assert "Avanzamento per comune" in client.get(reverse("implementation:progress")).content.decode()
