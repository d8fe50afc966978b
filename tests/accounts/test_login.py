"""Signing in by e-mail, signing out, throttled failures and password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from psm_portal.accounts.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _attempt(client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_page_is_in_italian_with_labelled_fields(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Accedi all'area riservata" in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert reverse("accounts:password_reset") in html


def test_login_by_email_ignores_case_and_opens_the_reserved_area(client, mayor_a):
    response = _attempt(client, "Mayor.A@TEST.local", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).context["user"] == mayor_a


def test_login_follows_next(client, team_user):
    response = client.post(
        LOGIN + "?next=/area-riservata/utenti/",
        {"username": "team@test.local", "password": DEMO_PASSWORD, "next": "/area-riservata/utenti/"},
    )
    assert response["Location"] == "/area-riservata/utenti/"


def test_login_refuses_a_foreign_next(client, team_user):
    response = client.post(
        LOGIN, {"username": "team@test.local", "password": DEMO_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:dashboard")


def test_wrong_password_says_so_in_italian(client, mayor_a):
    response = _attempt(client, "mayor.a@test.local", "sbagliata")
    assert response.status_code == 200
    assert "E-mail o password non corretti" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, mayor_a):
    mayor_a.is_active = False
    mayor_a.save()
    response = _attempt(client, "mayor.a@test.local", DEMO_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_login_goes_to_reserved_area(login, council_user):
    client = login(council_user)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")


def test_logout_is_a_post(login, council_user):
    client = login(council_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_header_offers_logout_to_signed_in_users(login, council_user):
    html = login(council_user).get(reverse("home")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in html
    assert "Area riservata" in html


def test_five_failures_lock_the_account_even_with_the_right_password(client, mayor_a):
    for _ in range(4):
        assert _attempt(client, "mayor.a@test.local", "sbagliata").status_code == 200
    locked = _attempt(client, "mayor.a@test.local", "sbagliata")
    assert locked.status_code == 429
    assert "Accesso temporaneamente bloccato" in locked.content.decode()
    refused = _attempt(client, "mayor.a@test.local", DEMO_PASSWORD)
    assert refused.status_code == 429
    assert "Troppi tentativi" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_address_does_not_buy_more_attempts(client, mayor_a):
    for spelling in ["mayor.a@test.local", "MAYOR.A@test.local", "Mayor.A@Test.Local", "mayor.A@test.local"]:
        assert _attempt(client, spelling, "sbagliata").status_code == 200
    assert _attempt(client, "MAYOR.a@TEST.local", "sbagliata").status_code == 429
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD).status_code == 429


def test_lock_is_per_address_and_lifts_after_cool_off(client, mayor_a, mayor_b, time_machine):
    time_machine.move_to("2026-03-02 10:00 +01:00", tick=False)
    for _ in range(5):
        _attempt(client, "mayor.a@test.local", "sbagliata")
    # Another account from the same machine is not locked.
    assert _attempt(client, "mayor.b@test.local", DEMO_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    time_machine.move_to("2026-03-02 10:16 +01:00", tick=False)
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(client, mayor_a):
    for _ in range(4):
        _attempt(client, "mayor.a@test.local", "sbagliata")
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert _attempt(client, "mayor.a@test.local", "sbagliata").status_code == 200
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD).status_code == 302


def _link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_by_email_works_once(client, mayor_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is a task, enqueued after commit
        response = client.post(reverse("accounts:password_reset"), {"email": "MAYOR.A@test.local"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mayor.a@test.local"]
    link = _link_in(message)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Nuova-password-2026", "new_password2": "Nuova-password-2026"})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    mayor_a.refresh_from_db()
    assert mayor_a.check_password("Nuova-password-2026")

    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "Il collegamento non è valido" in again.content.decode()


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nessuno@test.local"}, follow=True)
    assert response.status_code == 200
    assert "Controlla la posta" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_refuses_a_weak_password(client, mayor_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "mayor.a@test.local"})
    form_page = client.get(_link_in(mail.outbox[0]), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors
    mayor_a.refresh_from_db()
    assert mayor_a.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("path", ["/registrati/", "/registrazione/", "/signup/", "/accounts/signup/", "/register/"])
def test_there_is_no_self_registration(client, path):
    assert client.get(path).status_code == 404


def test_login_page_does_not_offer_registration(client):
    html = client.get(LOGIN).content.decode().lower()
    assert "registrati" not in html and "registrazione" not in html
