"""The PSM team creates staff accounts and invites them: one-time link, no self-registration."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from municipalities.models import Municipality
from psm_portal.accounts.models import Role, User
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST, LIPARI

pytestmark = pytest.mark.django_db

INVITE = reverse("accounts:invite")


def _invitation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accedi/invito/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _post_invite(client, capture, **data):
    payload = {"full_name": "Nina Nuova", "email": "nina@test.local", "role": Role.COUNCIL, **data}
    with capture(execute=True):
        return client.post(INVITE, payload)


def test_invitation_end_to_end(login, team_user, django_capture_on_commit_callbacks, client):
    response = _post_invite(
        login(team_user),
        django_capture_on_commit_callbacks,
        role=Role.MAYOR,
        municipality=LIPARI,
        email="Nina@Test.local",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:users")

    user = User.objects.get(email="nina@test.local")
    assert user.role == Role.MAYOR and user.municipality_id == LIPARI
    assert user.invited_by == team_user and user.invited_at is not None
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="user.invite").count() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@test.local"]
    assert "Invito al Portale" in message.subject
    path = _invitation_path(message)

    client.logout()
    page = client.get(path, follow=True)
    assert page.context["validlink"] is True
    assert "Benvenuto: scegli la tua password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Messina-Lipari-2026", "new_password2": "Messina-Lipari-2026"})
    assert done["Location"] == reverse("accounts:dashboard")
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.context["user"] == user
    user.refresh_from_db()
    assert user.check_password("Messina-Lipari-2026")

    client.post(reverse("accounts:logout"))
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False
    html = again.content.decode()
    assert "Il collegamento non è valido" in html
    assert "Chiedi al team PSM di inviarti un nuovo invito" in html

    # With the password chosen, the invited person signs in like everyone else.
    signed_in = client.post(
        reverse("accounts:login"), {"username": "nina@test.local", "password": "Messina-Lipari-2026"}
    )
    assert signed_in["Location"] == reverse("accounts:dashboard")


def test_a_tampered_link_is_invalid(client, team_user, login, django_capture_on_commit_callbacks):
    _post_invite(login(team_user), django_capture_on_commit_callbacks)
    path = _invitation_path(mail.outbox[0])
    client.logout()
    broken = re.sub(r"/([^/]+)/$", "/abc-123/", path)
    assert client.get(broken, follow=True).context["validlink"] is False


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        (Role.OFFICE, "office", "Scegli l'ufficio di cui fa parte."),
        (Role.MAYOR, "municipality", "Scegli il comune che rappresenta."),
        (Role.STAKEHOLDER, "organisation", "Indica l'organizzazione."),
    ],
)
def test_invite_requires_what_the_role_needs(
    login, team_user, django_capture_on_commit_callbacks, role, field, message
):
    response = _post_invite(login(team_user), django_capture_on_commit_callbacks, role=role, organisation="  ")
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not User.objects.filter(email="nina@test.local").exists()
    assert mail.outbox == []


def test_invite_keeps_only_the_fields_of_the_role(login, team_user, office_a, django_capture_on_commit_callbacks):
    _post_invite(
        login(team_user),
        django_capture_on_commit_callbacks,
        role=Role.STAKEHOLDER,
        organisation="Confcommercio",
        office=office_a.pk,
        municipality=LIPARI,
    )
    user = User.objects.get(email="nina@test.local")
    assert (user.organisation, user.office, user.municipality) == ("Confcommercio", None, None)


def test_invite_office_staff(login, team_user, office_b, django_capture_on_commit_callbacks):
    _post_invite(login(team_user), django_capture_on_commit_callbacks, role=Role.OFFICE, office=office_b.pk)
    assert User.objects.get(email="nina@test.local").office == office_b
    assert len(mail.outbox) == 1


def test_invite_refuses_a_duplicate_email_whatever_the_case(
    login, team_user, mayor_a, django_capture_on_commit_callbacks
):
    response = _post_invite(login(team_user), django_capture_on_commit_callbacks, email="MAYOR.A@test.local")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Esiste già un utente con questo indirizzo e-mail."]
    assert User.objects.filter(email__iexact="mayor.a@test.local").count() == 1
    assert mail.outbox == []


def test_invite_refuses_a_bad_email_and_unknown_role(login, team_user, django_capture_on_commit_callbacks):
    response = _post_invite(login(team_user), django_capture_on_commit_callbacks, email="non-una-mail", role="admin")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "role"}
    assert User.objects.count() == 1


def test_invite_form_is_labelled(login, team_user):
    html = login(team_user).get(INVITE).content.decode()
    for field in ("full_name", "email", "role", "office", "municipality", "organisation"):
        assert f'for="id_{field}"' in html


def test_invite_municipality_choices_cost_one_query(login, team_user, django_assert_max_num_queries):
    client = login(team_user)
    with django_assert_max_num_queries(8):
        response = client.get(INVITE)
    assert response.content.decode().count('<option value="083') == Municipality.objects.count()


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_invites(cast, login, who, django_capture_on_commit_callbacks):
    client = login(cast(who))
    get = client.get(INVITE)
    response = _post_invite(client, django_capture_on_commit_callbacks)
    if who == "team_user":
        assert get.status_code == 200 and response.status_code == 302
        assert User.objects.filter(email="nina@test.local").exists()
    elif who == "anonymous":
        assert get.status_code == 302 and get["Location"].startswith(reverse("accounts:login"))
        assert response.status_code == 302
        assert not User.objects.filter(email="nina@test.local").exists()
    else:
        assert get.status_code == 403 and response.status_code == 403
        assert "Accesso non consentito" in get.content.decode()
        assert not User.objects.filter(email="nina@test.local").exists()


def _invited(team_user, django_capture_on_commit_callbacks, login) -> User:
    _post_invite(login(team_user), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return User.objects.get(email="nina@test.local")


def test_reinvite_sends_a_new_link(login, team_user, django_capture_on_commit_callbacks):
    user = _invited(team_user, django_capture_on_commit_callbacks, login)
    client = login(team_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:reinvite", args=[user.pk]), follow=True)
    assert "Nuovo invito inviato a nina@test.local." in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@test.local"]


def test_reinvite_refused_once_the_password_is_set(login, team_user, django_capture_on_commit_callbacks):
    user = _invited(team_user, django_capture_on_commit_callbacks, login)
    user.set_password("Una-password-lunga")
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(team_user).post(reverse("accounts:reinvite", args=[user.pk]), follow=True)
    assert "ha già scelto la password" in response.content.decode()
    assert mail.outbox == []


def test_reinvite_refused_for_a_deactivated_account(login, team_user, django_capture_on_commit_callbacks):
    user = _invited(team_user, django_capture_on_commit_callbacks, login)
    user.is_active = False
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(team_user).post(reverse("accounts:reinvite", args=[user.pk]), follow=True)
    assert "è disattivato" in response.content.decode()
    assert mail.outbox == []


def test_reinvite_is_a_post_and_unknown_user_is_404(login, team_user):
    client = login(team_user)
    assert client.get(reverse("accounts:reinvite", args=[team_user.pk])).status_code == 405
    assert client.post(reverse("accounts:reinvite", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_reinvites(cast, login, who, team_user, django_capture_on_commit_callbacks):
    user = _invited(team_user, django_capture_on_commit_callbacks, login)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast(who)).post(reverse("accounts:reinvite", args=[user.pk]))
    if who == "team_user":
        assert response.status_code == 302 and len(mail.outbox) == 1
    else:
        assert response.status_code in (302, 403) and mail.outbox == []
        if who == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 403


def test_without_site_url_the_link_uses_the_address_the_team_invited_from(
    settings, login, team_user, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://localhost:8000"  # not configured
    settings.ALLOWED_HOSTS = ["psm.cittametropolitana.example"]
    client = login(team_user)
    payload = {"full_name": "Nina Nuova", "email": "nina@test.local", "role": Role.COUNCIL}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INVITE, payload, HTTP_HOST="psm.cittametropolitana.example", secure=True)
    assert "https://psm.cittametropolitana.example/accedi/invito/" in mail.outbox[0].body
    assert "localhost" not in mail.outbox[0].body
    mail.outbox.clear()
    user = User.objects.get(email="nina@test.local")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:reinvite", args=[user.pk]), HTTP_HOST="psm.cittametropolitana.example", secure=True
        )
    assert "https://psm.cittametropolitana.example/accedi/invito/" in mail.outbox[0].body


def test_a_configured_site_url_wins_over_the_request(settings, login, team_user, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://psm.example.it"
    settings.ALLOWED_HOSTS = ["altro.example"]
    payload = {"full_name": "Nina Nuova", "email": "nina@test.local", "role": Role.COUNCIL}
    with django_capture_on_commit_callbacks(execute=True):
        login(team_user).post(INVITE, payload, HTTP_HOST="altro.example")
    assert "https://psm.example.it/accedi/invito/" in mail.outbox[0].body
