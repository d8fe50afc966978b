"""The database down is a 503 maintenance page, not a 500: any path, wherever in the request the error comes from.

The page is rendered without the database, the session or the user (a standalone template), says in Italian that
the portal is unavailable for a moment and carries ``Retry-After``. Any other error is still a 500.
"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory

from psm_portal import views
from surveys.factories import every_kind_questionnaire

pytestmark = pytest.mark.django_db

MAINTENANCE_TEXT = "Portale momentaneamente non disponibile"


@pytest.fixture
def client():
    # The default test client re-raises the view's exception; a browser gets the response instead.
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL has gone away."""

    def refused(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def enable():
        monkeypatch.setattr(CursorWrapper, "execute", refused)
        monkeypatch.setattr(CursorWrapper, "executemany", refused)

    return enable


def _assert_maintenance(response, language: str = "it"):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    if language == "it":
        assert MAINTENANCE_TEXT in body


def test_a_public_page_with_the_database_down_is_a_503(client, database_down):
    database_down()
    _assert_maintenance(client.get("/comuni/"))
    _assert_maintenance(client.get("/progetti/"))


def test_questionnaire_page_with_the_database_down_is_a_503(client, database_down):
    survey = every_kind_questionnaire(slug="citta", title="La città")
    assert client.get(f"/questionario/{survey.slug}/").status_code == 200
    database_down()
    _assert_maintenance(client.get(f"/questionario/{survey.slug}/"))
    _assert_maintenance(client.post(f"/questionario/{survey.slug}/sezione/1/", {"q0": "1"}))


def test_signed_in_admin_with_the_database_down_is_a_503(client, team_user, database_down):
    """The session and the user are read from the database in the middleware's lazy objects."""
    client.force_login(team_user, backend="psm_portal.accounts.backends.RoleBackend")
    assert client.get("/admin/").status_code == 200
    database_down()
    _assert_maintenance(client.get("/admin/"))
    _assert_maintenance(client.get("/area-riservata/"))


def test_an_unknown_path_with_the_database_down_is_a_503_not_a_404_page_that_fails(client, team_user, database_down):
    client.force_login(team_user, backend="psm_portal.accounts.backends.RoleBackend")
    database_down()
    _assert_maintenance(client.get("/non-esiste/"))


class _FailingMiddleware:
    error: type[Exception] = OperationalError

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise self.error("server closed the connection unexpectedly")


class _FailingInterfaceMiddleware(_FailingMiddleware):
    error = InterfaceError


@pytest.mark.parametrize(
    ("middleware", "position"),
    [
        (f"{__name__}._FailingMiddleware", 0),
        (f"{__name__}._FailingMiddleware", 3),
        (f"{__name__}._FailingInterfaceMiddleware", -1),
    ],
)
@pytest.mark.parametrize("path", ["/", "/admin/", "/questionario/citta/", "/en/"])
def test_a_database_error_in_any_middleware_is_a_503(client, settings, middleware, position, path):
    stack = list(settings.MIDDLEWARE)
    stack.insert(position if position >= 0 else len(stack), middleware)
    settings.MIDDLEWARE = stack
    _assert_maintenance(client.get(path), language="en" if path.startswith("/en/") else "it")


def test_english_pages_get_the_english_maintenance_text(client, database_down):
    database_down()
    response = client.get("/en/comuni/")
    _assert_maintenance(response, language="en")
    assert "temporarily unavailable" in response.content.decode()


def test_the_maintenance_page_needs_no_database_session_or_user(django_assert_num_queries):
    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"the maintenance page read request.{name}")

    request = RequestFactory().get("/questionario/citta/")
    request.session = Untouchable()
    request.user = Untouchable()
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        with django_assert_num_queries(0):
            response = views.server_error(request)
    _assert_maintenance(response)


def test_a_database_error_wrapped_in_another_is_still_a_503():
    request = RequestFactory().get("/")
    try:
        try:
            raise InterfaceError("connection already closed")
        except InterfaceError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError:
        response = views.server_error(request)
    _assert_maintenance(response)


class _BuggyMiddleware(_FailingMiddleware):
    error = ValueError


def test_any_other_error_is_still_a_500(client, settings):
    settings.MIDDLEWARE = [f"{__name__}._BuggyMiddleware", *settings.MIDDLEWARE]
    response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert MAINTENANCE_TEXT not in response.content.decode()
