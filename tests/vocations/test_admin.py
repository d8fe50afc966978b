"""The PSM team defines the vocations, the scenarios and the territorial areas in Django's admin without being a
superuser; nobody else enters; the comuni's ISTAT data stay read-only for the team, only their area moves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from municipalities.models import Area
from tests.conftest import CAST
from vocations.models import Scenario, Vocation

pytestmark = pytest.mark.django_db

PAGES = [
    "admin:vocations_vocation_changelist",
    "admin:vocations_vocation_add",
    "admin:vocations_scenario_changelist",
    "admin:vocations_scenario_add",
    "admin:municipalities_area_changelist",
    "admin:municipalities_municipality_changelist",
]


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_enters_the_vocations_admin(cast, login, who, team_user):
    client = login(cast(who))
    for name in PAGES:
        status = client.get(reverse(name)).status_code
        assert status == (200 if who == "team_user" else 302), (who, name)
    assert not team_user.is_superuser


def test_the_team_adds_a_vocation_and_a_scenario(login, team_user):
    client = login(team_user)
    response = client.post(
        reverse("admin:vocations_vocation_add"),
        {"slug": "logistica", "name": "Logistica", "description": "Porti e retroporti.", "order": 3},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Vocation.objects.filter(slug="logistica").exists()
    response = client.post(
        reverse("admin:vocations_scenario_add"),
        {
            "slug": "obiettivo",
            "title": "Scenario obiettivo",
            "narrative": "Il territorio cresce.",
            "assumptions": "Fondi spesi.",
            "order": 1,
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Scenario.objects.filter(slug="obiettivo").exists()


def test_the_team_moves_a_comune_to_another_area_but_not_its_istat_data(login, team_user, messina):
    client = login(team_user)
    other = Area.objects.exclude(pk=messina.area_id).first()
    page = client.get(reverse("admin:municipalities_municipality_change", args=[messina.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(form.fields) == {"area"}
    population = messina.population
    response = client.post(
        reverse("admin:municipalities_municipality_change", args=[messina.pk]),
        {"area": other.pk, "population": 1},
    )
    assert response.status_code == 302
    messina.refresh_from_db()
    assert messina.area_id == other.pk and messina.population == population
    assert client.get(reverse("admin:municipalities_municipality_add")).status_code == 403
