"""Asking for a new password: the same work and the same page whether an account has the address or not, the
e-mail sent by a Celery task (not in the request), and requests limited per address and per e-mail typed."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from psm_portal.accounts import tasks
from psm_portal.accounts.factories import DEMO_PASSWORD, UserFactory
from psm_portal.accounts.models import Role

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")
LIMITED = "Troppe richieste di una nuova password da questa rete o per questo indirizzo e-mail"


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks enqueued, instead of running them: what the request itself does."""
    calls = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda *args: calls.append(args))
    return calls


def _ask(client, email: str, address: str = "203.0.113.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_known_and_unknown_addresses_get_the_same_answer_and_no_mail_in_the_request(
    client, mayor_a, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, "Mayor.A@test.local")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _ask(client, "nessuno@test.local")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == DONE
    assert mail.outbox == []  # nothing sent by the request, whoever asked
    assert enqueued == [(mayor_a.pk, "it", "http://testserver")]  # one task, for the account only
    page = client.get(DONE)
    assert [t.name for t in page.templates][0] == "accounts/password_reset_done.html"


@pytest.mark.parametrize("state", ["inactive", "invited"])
def test_no_task_for_an_inactive_or_not_yet_activated_account(client, enqueued, state):
    if state == "inactive":
        UserFactory(email="spento@test.local", role=Role.COUNCIL, is_active=False)
    else:
        user = UserFactory(email="spento@test.local", role=Role.COUNCIL)
        user.set_unusable_password()  # invited, the password never chosen: the invitation is the way in
        user.save()
    response = _ask(client, "spento@test.local")
    assert response["Location"] == DONE
    assert enqueued == [] and mail.outbox == []


def test_the_task_mails_a_link_on_the_site_address_that_sets_a_new_password(client, settings, mayor_a):
    settings.SITE_URL = "https://psm.example.it"
    assert tasks.send_password_reset(mayor_a.pk, "it") is True
    (message,) = mail.outbox
    assert message.to == ["mayor.a@test.local"]
    assert "reimpostare la password" in message.body
    link = next(line for line in message.body.splitlines() if line.startswith("https://psm.example.it/"))
    path = link.removeprefix("https://psm.example.it")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Nuova-password-2026", "new_password2": "Nuova-password-2026"})
    mayor_a.refresh_from_db()
    assert mayor_a.check_password("Nuova-password-2026")


def test_without_site_url_the_link_uses_the_address_the_request_came_to(
    client, settings, mayor_a, django_capture_on_commit_callbacks
):
    """Issue 18, item 10: links sent out are built from the request when ``SITE_URL`` is not configured, like the
    invitations (``psm_portal.lib.siteurl.site_url``)."""
    settings.SITE_URL = "http://localhost:8000"  # not configured
    settings.ALLOWED_HOSTS = ["psm.cittametropolitana.example"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            RESET,
            {"email": "mayor.a@test.local"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_HOST="psm.cittametropolitana.example",
            secure=True,
        )
    (message,) = mail.outbox
    assert "https://psm.cittametropolitana.example/accedi/nuova-password/" in message.body
    assert "localhost" not in message.body


def test_a_configured_site_url_wins_over_the_request_in_the_reset_link(
    client, settings, mayor_a, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://psm.example.it"
    settings.ALLOWED_HOSTS = ["altro.example"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "mayor.a@test.local"}, REMOTE_ADDR="203.0.113.7", HTTP_HOST="altro.example")
    (message,) = mail.outbox
    assert "https://psm.example.it/accedi/nuova-password/" in message.body
    assert "altro.example" not in message.body


def test_the_task_sends_nothing_to_an_account_deactivated_meanwhile(mayor_a):
    mayor_a.is_active = False
    mayor_a.save()
    assert tasks.send_password_reset(mayor_a.pk, "it") is False
    assert tasks.send_password_reset(999_999, "it") is False
    assert mail.outbox == []


def test_the_e_mail_speaks_the_language_of_the_request(client, mayor_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + RESET, {"email": "mayor.a@test.local"}, REMOTE_ADDR="203.0.113.7")
    (message,) = mail.outbox  # the tests run tasks in-process
    assert "You asked to reset" in message.body
    assert "/en/accedi/nuova-password/" in message.body
    assert message.subject == "Portale PSM Messina: reset your password"


def test_requests_are_limited_per_address(client, enqueued):
    for n in range(settings.PASSWORD_RESET_ADDRESS_LIMIT):
        assert _ask(client, f"utente{n}@test.local")["Location"] == DONE
    refused = _ask(client, "altro@test.local")
    assert refused.status_code == 429
    assert LIMITED in refused.content.decode()
    assert [t.name for t in refused.templates][0] == "accounts/password_reset.html"
    # Another address is not concerned.
    assert _ask(client, "altro@test.local", address="198.51.100.1")["Location"] == DONE


@pytest.mark.parametrize("email", ["mayor.a@test.local", "nessuno@test.local"], ids=["known", "unknown"])
def test_requests_are_limited_per_e_mail_and_say_the_same_for_any(
    client, mayor_a, enqueued, email, django_capture_on_commit_callbacks
):
    for n in range(settings.PASSWORD_RESET_ACCOUNT_LIMIT):
        with django_capture_on_commit_callbacks(execute=True):
            assert _ask(client, email.upper(), address=f"198.51.100.{n + 1}")["Location"] == DONE
    refused = _ask(client, email, address="192.0.2.50")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert LIMITED in html
    assert "nessun account" not in html.lower()
    assert len(enqueued) == (settings.PASSWORD_RESET_ACCOUNT_LIMIT if email.startswith("mayor") else 0)


def test_the_limits_are_documented_values():
    assert settings.PASSWORD_RESET_ACCOUNT_LIMIT == 3
    assert settings.PASSWORD_RESET_ADDRESS_LIMIT == 10
    assert settings.PASSWORD_RESET_WINDOW_SECONDS == 3600


def test_with_the_cache_unreachable_the_request_goes_through_with_a_warning(
    client, mayor_a, enqueued, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    with caplog.at_level(logging.WARNING, logger="psm_portal.lib.ratelimit"):
        with django_capture_on_commit_callbacks(execute=True):
            response = _ask(client, "mayor.a@test.local")
    assert response["Location"] == DONE
    assert enqueued == [(mayor_a.pk, "it", "http://testserver")]
    assert "not applied" in caplog.text


def test_with_a_soft_failing_cache_the_request_goes_through_with_a_warning(client, monkeypatch, caplog):
    # A cache that fails soft answers every write as a miss: add is False, incr finds no key.
    def missing(*args, **kwargs):
        raise ValueError("Key not found.")

    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "incr", missing)
    with caplog.at_level(logging.WARNING, logger="psm_portal.lib.ratelimit"):
        for _ in range(settings.PASSWORD_RESET_ADDRESS_LIMIT + 2):
            assert _ask(client, "nessuno@test.local")["Location"] == DONE
    assert "not applied" in caplog.text


def test_signing_in_still_works_after_asking(client, mayor_a, enqueued):
    _ask(client, "mayor.a@test.local")
    response = client.post(reverse("accounts:login"), {"username": "mayor.a@test.local", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_the_limit_message_is_in_english_under_en(client, enqueued):
    for n in range(settings.PASSWORD_RESET_ADDRESS_LIMIT + 1):
        response = client.post("/en" + RESET, {"email": f"utente{n}@test.local"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Too many requests for a new password" in response.content.decode()
