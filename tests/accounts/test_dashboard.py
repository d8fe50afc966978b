"""The reserved area: each role sees what it can do; a section whose page is not there yet says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from psm_portal.accounts.dashboard import SECTIONS, _resolve
from psm_portal.accounts.models import Role, User
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("accounts:dashboard")

# The sections each role must find (titles as declared in dashboard.py).
EXPECTED = {
    "team_user": {"Utenti e inviti", "Fasi del processo", "Pagine informative", "Amministrazione", "Parco progettuale"},
    "office_a_user": {"Parco progettuale", "La tua posizione sulla Visione", "Documenti del piano"},
    "office_b_user": {"Parco progettuale", "La tua posizione sulla Visione", "Documenti del piano"},
    "mayor_a": {"Istanze del comune", "Proposte di progetto", "La tua posizione sulla Visione", "Tavoli di lavoro"},
    "mayor_b": {"Istanze del comune", "Proposte di progetto", "La tua posizione sulla Visione", "Tavoli di lavoro"},
    "council_user": {"Approvazione del piano", "Documenti del piano"},
    "stakeholder_user": {"Proposte di progetto", "Tavoli di lavoro"},
    "secretary_user": {"Atti del Consiglio metropolitano", "Documenti del piano"},
}
TEAM_ONLY = {"Utenti e inviti", "Pagine informative", "Amministrazione", "Istanze dei comuni", "Fasi del processo"}


def _titles(response) -> set[str]:
    return {str(item["section"].title) for item in response.context["sections"]}


@pytest.mark.parametrize("who", CAST)
def test_reserved_area_for_each_role(cast, login, who):
    user = cast(who)
    response = login(user).get(DASHBOARD)
    if user is None:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={DASHBOARD}"
        return
    assert response.status_code == 200
    titles = _titles(response)
    assert EXPECTED[who] <= titles
    # Exactly the sections declared for the role, nothing of the others.
    declared = {str(s.title) for s in SECTIONS if user.role in s.roles}
    assert titles == declared
    if who != "team_user":
        assert not titles & TEAM_ONLY
    html = response.content.decode()
    assert user.full_name in html
    assert str(user.get_role_display()) in html


@pytest.mark.parametrize("who", [name for name in CAST if name != "anonymous"])
def test_sections_without_pages_say_when_they_open(cast, login, who):
    response = login(cast(who)).get(DASHBOARD)
    html = response.content.decode()
    for item in response.context["sections"]:
        if item["links"]:
            for link in item["links"]:
                assert f'href="{link["url"]}"' in html
        else:
            assert item["section"].pending, item["section"].title
            assert str(item["section"].pending) in html
    empty = [item for item in response.context["sections"] if not item["links"]]
    assert html.count("Non ancora disponibile.") == len(empty)


def test_a_pending_text_is_declared_only_where_it_can_show():
    # The text shows only when no link of the section resolves: with a page, it would be dead text.
    for section in SECTIONS:
        if section.pending:
            resolved = [name for _label, name, *args in section.links if _resolve(name, tuple(args[0]) if args else ())]
            assert resolved == [], section.title


def test_team_links_lead_to_pages_that_open(login, team_user):
    client = login(team_user)
    response = client.get(DASHBOARD)
    urls = [link["url"] for item in response.context["sections"] for link in item["links"]]
    assert reverse("accounts:users") in urls and reverse("accounts:invite") in urls
    assert reverse("pages:edit", args=["privacy"]) in urls and reverse("admin:index") in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_mayor_sees_their_municipality(login, mayor_a):
    html = login(mayor_a).get(DASHBOARD).content.decode()
    assert 'href="/comuni/083048/"' in html and "Messina" in html


def test_office_staff_sees_their_office_and_stakeholder_their_organisation(login, office_a_user, stakeholder_user):
    assert "Viabilità e infrastrutture" in login(office_a_user).get(DASHBOARD).content.decode()
    assert "ANCE" in login(stakeholder_user).get(DASHBOARD).content.decode()


def test_superuser_sees_the_team_sections(login):
    admin = User.objects.create_superuser("admin@test.local", "Una-password-lunga", role=Role.COUNCIL)
    titles = _titles(login(admin).get(DASHBOARD))
    assert "Utenti e inviti" in titles and "Amministrazione" in titles
