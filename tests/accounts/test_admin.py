"""Django's admin is for the PSM team (and superusers) only."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import reverse

from psm_portal.accounts.models import User
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")


@pytest.mark.parametrize("who", CAST)
def test_admin_index_for_each_role(cast, login, who):
    response = login(cast(who)).get(ADMIN)
    if who == "team_user":
        assert response.status_code == 200
        assert "Portale PSM Messina — amministrazione" in response.content.decode()
    elif who == "anonymous":
        assert response.status_code == 302
        followed = login(None).get(ADMIN, follow=True)
        assert followed.redirect_chain[-1][0].startswith(reverse("accounts:login"))
        assert unquote(followed.redirect_chain[-1][0]).endswith("?next=/admin/")
        assert followed.status_code == 200
    else:
        # A signed-in user of another role is refused, not sent round in circles to the login page.
        followed = login(cast(who)).get(ADMIN, follow=True)
        assert followed.status_code == 403
        assert len(followed.redirect_chain) <= 2
        assert "Accesso non consentito" in followed.content.decode()


@pytest.mark.parametrize("who", CAST)
def test_admin_user_list_for_each_role(cast, login, who):
    response = login(cast(who)).get(reverse("admin:accounts_user_changelist"), follow=True)
    assert response.status_code == (200 if who in ("team_user", "anonymous") else 403)
    if who == "team_user":
        assert "team@test.local" in response.content.decode()
    if who == "anonymous":
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_superuser_enters_the_admin(login):
    admin = User.objects.create_superuser("admin@test.local", "Una-password-lunga")
    assert login(admin).get(ADMIN).status_code == 200


def test_deactivated_team_member_is_kept_out(login, team_user):
    team_user.is_active = False
    team_user.save()
    response = login(None).get(ADMIN)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:municipalities_municipality_changelist",
        "admin:pages_sitepage_changelist",
        "admin:accounts_office_changelist",
    ],
)
def test_team_opens_the_main_admin_pages(login, team_user, url_name):
    assert login(team_user).get(reverse(url_name)).status_code == 200


def test_team_opens_a_user_and_a_municipality_in_the_admin(login, team_user, mayor_a):
    client = login(team_user)
    assert client.get(reverse("admin:accounts_user_change", args=[mayor_a.pk])).status_code == 200
    assert client.get(reverse("admin:municipalities_municipality_change", args=["083048"])).status_code == 200


def _add_user(client, **fields):
    data = {
        "email": "nuovo.sindaco@test.local",
        "full_name": "Nuovo Sindaco",
        "password1": "Una-password-lunga-1",
        "password2": "Una-password-lunga-1",
        "usable_password": "true",
        "office": "",
        "municipality": "",
        "organisation": "",
        **fields,
    }
    return client.post(reverse("admin:accounts_user_add"), data)


def test_team_adds_a_mayor_through_the_admin(login, team_user, messina):
    response = _add_user(login(team_user), role="mayor", municipality=messina.pk)
    assert response.status_code == 302
    mayor = User.objects.get(email="nuovo.sindaco@test.local")
    assert mayor.is_mayor
    assert mayor.municipality == messina


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("mayor", "Un sindaco o delegato deve essere legato a un comune."),
        ("office", "Il personale di un ufficio deve appartenere a un ufficio."),
        ("stakeholder", "Indicare l&#x27;organizzazione dello stakeholder."),
    ],
)
def test_admin_add_user_without_the_role_field_says_why(login, team_user, role, message):
    response = _add_user(login(team_user), role=role)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="nuovo.sindaco@test.local").exists()
