"""The team's list of users: filters, paging, constant queries; nobody else sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:users")


@pytest.mark.parametrize("who", CAST)
def test_user_list_for_each_role(cast, login, who):
    response = login(cast(who)).get(USERS)
    if who == "team_user":
        assert response.status_code == 200
        assert "Utenti del portale" in response.content.decode()
    elif who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403


def test_user_list_filters_by_role_and_text(login, team_user, mayor_a, mayor_b, council_user):
    client = login(team_user)
    mayors = client.get(USERS, {"role": Role.MAYOR}).context["page"].object_list
    assert {u.email for u in mayors} == {"mayor.a@test.local", "mayor.b@test.local"}
    found = client.get(USERS, {"q": "LIPARI"}).context["page"].object_list
    assert [u.email for u in found] == ["mayor.b@test.local"]
    found = client.get(USERS, {"q": "council@"}).context["page"].object_list
    assert [u.email for u in found] == ["council@test.local"]


def test_user_list_shows_invited_and_active(login, team_user):
    invited = UserFactory(email="invitato@test.local", full_name="Ivo Invitato")
    invited.set_unusable_password()
    invited.save()
    html = login(team_user).get(USERS).content.decode()
    assert "invitato" in html and "attivo" in html
    assert reverse("accounts:reinvite", args=[invited.pk]) in html
    assert reverse("accounts:reinvite", args=[team_user.pk]) not in html


def test_bad_filter_values_do_not_break_the_list(login, team_user):
    response = login(team_user).get(USERS, {"role": "imperatore", "pagina": "mille"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_user_list_paginates(login, team_user):
    UserFactory.create_batch(30, role=Role.COUNCIL)
    client = login(team_user)
    first = client.get(USERS)
    assert len(first.context["page"].object_list) == 25
    second = client.get(USERS, {"pagina": 2})
    assert len(second.context["page"].object_list) == 6
    assert 'aria-label="Paginazione"' in first.content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_user_list_query_count_does_not_grow(login, team_user, office_a, messina, extra, django_assert_max_num_queries):
    for i in range(extra):
        if i % 2:
            UserFactory(role=Role.OFFICE, office=office_a)
        else:
            UserFactory(role=Role.MAYOR, municipality=messina)
    client = login(team_user)
    with django_assert_max_num_queries(6):
        assert client.get(USERS).status_code == 200
