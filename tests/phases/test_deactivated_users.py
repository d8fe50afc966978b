"""A user deactivated while signed in: the session opens no gated view any more, and each layer that would let
them act refuses an inactive user on its own.

Who stops them, layer by layer (each checked here, because a break in one is hidden by the others):
- the session: Django's ``ModelBackend.get_user`` (inherited by ``RoleBackend``) gives no user for an inactive
  account (``user_can_authenticate``), so the request is anonymous and ``login_required`` sends it to the login
  page. ``role_required`` and ``phase_required`` have no check of their own: they rely on this one;
- the writes: ``need_submit`` refuses an inactive mayor, ``speaker_for`` (positions, comments on the draft)
  speaks for nobody when the user is inactive.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from phases.models import Need, Position
from phases.services import need_submit, position_submit
from phases.speakers import speaker_for
from psm_portal.accounts.factories import DEMO_PASSWORD
from psm_portal.accounts.models import User
from tests.phases.conftest import position_post

pytestmark = pytest.mark.django_db

NEED = {"title": "Strada franata", "description": "Serve un intervento.", "theme": "mobility"}


def _signed_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return client


def _deactivate(user) -> None:
    # As the team does from the admin or the users' page: the session cookie stays in the browser.
    User.objects.filter(pk=user.pk).update(is_active=False)


def _to_login(response, url: str) -> bool:
    return response.status_code == 302 and response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_a_mayor_deactivated_while_signed_in_can_no_longer_open_or_send_the_istanze_form(
    client, mayor_a, listening_now
):
    url = reverse("phases:need_create")
    client = _signed_in(client, mayor_a)
    assert client.get(url).status_code == 200
    _deactivate(mayor_a)
    assert _to_login(client.get(url), url)
    assert _to_login(client.post(url, NEED), url)
    assert not Need.objects.exists()


def test_a_mayor_deactivated_while_signed_in_can_no_longer_take_a_position(client, mayor_a, open_version):
    url = reverse("phases:position_save", args=["comune", "083048", "visione"])
    client = _signed_in(client, mayor_a)
    assert client.post(url, position_post(open_version, "visione", "agree")).status_code == 302
    assert Position.objects.get().stance == "agree"
    _deactivate(mayor_a)
    assert _to_login(client.post(url, position_post(open_version, "visione", "disagree")), url)
    positions = reverse("phases:positions", args=["comune", "083048"])
    assert _to_login(client.get(positions), positions)
    assert Position.objects.get().stance == "agree"


def test_the_session_backend_gives_no_user_for_an_inactive_account(mayor_a):
    from psm_portal.accounts.backends import RoleBackend

    backend = RoleBackend()
    assert backend.get_user(mayor_a.pk) == mayor_a
    _deactivate(mayor_a)
    assert backend.get_user(mayor_a.pk) is None
    mayor_a.refresh_from_db()
    assert not backend.user_can_authenticate(mayor_a)


def test_the_istanze_service_refuses_an_inactive_mayor(mayor_a, listening_now):
    """Behind the session's check: a view reached by an inactive user (another backend, a task) still writes nothing."""
    mayor_a.is_active = False
    with pytest.raises(ValidationError, match="Solo un sindaco o un delegato comunale"):
        need_submit(user=mayor_a, **NEED)
    assert not Need.objects.exists()


def test_the_positions_service_refuses_an_inactive_mayor_or_office_user(mayor_a, office_a_user, open_version):
    for user in (mayor_a, office_a_user):
        assert speaker_for(user) is not None
        user.is_active = False
        assert speaker_for(user) is None
        with pytest.raises(ValidationError, match="Solo i sindaci e il personale degli uffici"):
            position_submit(version=open_version, user=user, objective=None, stance="agree")
    assert not Position.objects.exists()
