"""Failed sign-ins are counted three ways (django-axes): per account and address, per address across accounts, per
account across addresses, each with its own limit. One person behind a shared address (a school, an office) cannot
lock the others out; an address trying many accounts, or an account tried from many addresses, is stopped."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from psm_portal.accounts.factories import DEMO_PASSWORD, UserFactory
from psm_portal.accounts.models import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
OFFICE = "203.0.113.7"  # one address shared by a whole office (NAT)


def _attempt(client, email: str, password: str, address: str = OFFICE, **headers):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers)


def test_the_limits_are_ordered_and_leave_room_for_a_shared_address():
    # One person's own account from one place < one account from anywhere < one address across accounts.
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_ACCOUNT_FAILURE_LIMIT == 10
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 30
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username", "ip_address"]


def test_one_address_trying_many_accounts_is_locked_out(client, mayor_a):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        response = _attempt(client, f"utente{n}@test.local", "sbagliata")
    assert response.status_code == 429
    locked = _attempt(client, "mayor.a@test.local", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "Accesso temporaneamente bloccato" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The same account from another address is not concerned.
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD, address="198.51.100.1").status_code == 302


def test_one_account_tried_from_many_addresses_is_locked_out(client, mayor_a, mayor_b):
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        _attempt(client, "mayor.a@test.local", "sbagliata", address=f"198.51.100.{n + 1}")
    refused = _attempt(client, "mayor.a@test.local", DEMO_PASSWORD, address="192.0.2.200")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from one of those addresses signs in.
    assert _attempt(client, "mayor.b@test.local", DEMO_PASSWORD, address="198.51.100.1").status_code == 302


def test_one_person_hammering_their_own_account_does_not_lock_out_the_office(client, mayor_a, mayor_b):
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT + 10):
        _attempt(client, "mayor.a@test.local", "sbagliata")
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD).status_code == 429
    # A colleague behind the same address signs in: failures stop counting once the pair is locked.
    assert _attempt(client, "mayor.b@test.local", DEMO_PASSWORD).status_code == 302


def test_signing_in_to_an_own_account_does_not_reset_the_address_count(client, mayor_a, stakeholder_user):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        _attempt(client, f"utente{n}@test.local", "sbagliata")
    assert _attempt(client, "stakeholder@test.local", DEMO_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert _attempt(client, "altro@test.local", "sbagliata").status_code == 429
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD).status_code == 429


def test_an_ipv6_network_counts_as_one_address(client, mayor_a):
    # A client holding a /64 picks any of its addresses for each attempt.
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _attempt(client, f"utente{n}@test.local", "sbagliata", address=f"2001:db8:1:2::{n + 1:x}")
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD, address="2001:db8:1:2:ffff::1").status_code == 429
    assert _attempt(client, "mayor.a@test.local", DEMO_PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_counted(client, settings, mayor_a):
    # Every request reaches gunicorn from the proxy's address; the client's is the one the proxy added.
    settings.AXES_IP_HEADERS = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "mayor.a@test.local", "sbagliata", address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert (
        _attempt(
            client, "mayor.a@test.local", DEMO_PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
        ).status_code
        == 429
    )
    # Another client behind the same proxy: a forged entry before the proxy's own does not help either.
    other = _attempt(
        client,
        "mayor.a@test.local",
        DEMO_PASSWORD,
        address="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9, 192.0.2.44",
    )
    assert other.status_code == 302


def test_the_lockout_page_is_in_italian_and_names_no_cause(client):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        response = _attempt(client, f"utente{n}@test.local", "sbagliata")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in html
    assert "Troppi tentativi di accesso non riusciti" in html
    assert reverse("accounts:password_reset") in html


def test_a_team_member_is_throttled_like_everybody(client):
    UserFactory(email="altro.team@test.local", role=Role.TEAM)
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        _attempt(client, "altro.team@test.local", "sbagliata", address=f"198.51.100.{n + 1}")
    assert _attempt(client, "altro.team@test.local", DEMO_PASSWORD, address="192.0.2.1").status_code == 429
