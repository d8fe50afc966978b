"""The fixed cast of users, one per role, that every permission test uses.

office A and B belong to two offices; mayor A speaks for Messina, mayor B for Lipari.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.management import call_command

from municipalities.models import Municipality
from psm_portal.accounts.factories import DEMO_PASSWORD, OfficeFactory, UserFactory
from psm_portal.accounts.models import Role

MESSINA = "083048"
LIPARI = "083041"

# In CI every integration test must run: a skip becomes a failure there.
REQUIRE_INTEGRATION = os.environ.get("PSM_REQUIRE_INTEGRATION") == "1"


def skip_or_fail(reason: str):
    if REQUIRE_INTEGRATION:
        pytest.fail(f"PSM_REQUIRE_INTEGRATION=1 but: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The 108 municipalities are reference data: loaded once for the whole session."""
    with django_db_blocker.unblock():
        if Municipality.objects.count() != 108:
            call_command("load_municipalities", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs a third of a second per user; tests only need it to be a hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded and generated files go to the test's temporary directory, never to the project's var/media."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": "/media/"},
        },
    }
    settings.MEDIA_ROOT = location
    return location


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    """Every test starts with nothing kept from an earlier one: Django's cache and the per-process memos
    (``psm_portal.lib.memo``). Tests change the phases and questionnaires with ``update()`` too, which no
    signal reports, so the phases' dates and the questionnaire being answered are read each time
    (``tests/phases/test_gates.py`` and ``tests/surveys/test_spread.py`` check the memos themselves)."""
    from django.core.cache import cache

    from psm_portal.lib import memo

    settings.PHASE_CACHE_SECONDS = 0
    settings.SURVEYS_CACHE_SECONDS = 0
    cache.clear()
    memo.clear_all()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _italian_first():
    """Every test starts in Italian, the portal's language: a request to /en/ activates English in the thread,
    and ``reverse()`` outside a request would otherwise give /en/ addresses to the tests that follow."""
    from django.utils import translation

    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process in tests, even when REDIS_URL is set; tests marked ``worker`` use a real worker."""
    from psm_portal.celery import app as celery_app

    saved = celery_app.conf.task_always_eager
    # Set both ways explicitly: a test elsewhere may have left the flag changed.
    celery_app.conf.task_always_eager = not request.node.get_closest_marker("worker")
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """A transactional test (live_server, real worker, ``django_db(transaction=True)``) starts after a flush that
    emptied every table.

    pytest-django runs those tests after all the others, so reloading the 108 comuni, the
    informative pages and the three phases here keeps them available to every test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if "transactional_db" not in request.fixturenames and not transactional:
        return
    request.getfixturevalue("transactional_db")
    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    _default_site_pages()
    _default_phases()


def _default_phases() -> None:
    """The three phases as the data migration creates them (the first one open from today)."""
    from importlib import import_module

    from django.apps import apps

    from phases.models import Phase

    if Phase.objects.count() != 3:
        import_module("phases.migrations.0002_default_phases").create_phases(apps, None)


def _default_site_pages() -> None:
    from importlib import import_module

    from psm_portal.pages.models import SitePage

    pages = import_module("psm_portal.pages.migrations.0002_default_pages").PAGES
    for slug, (title, body) in pages.items():
        SitePage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


@pytest.fixture
def messina(db) -> Municipality:
    return Municipality.objects.get(istat_code=MESSINA)


@pytest.fixture
def lipari(db) -> Municipality:
    return Municipality.objects.get(istat_code=LIPARI)


@pytest.fixture
def office_a(db):
    return OfficeFactory(code="viabilita", name="Viabilità e infrastrutture")


@pytest.fixture
def office_b(db):
    return OfficeFactory(code="ambiente", name="Ambiente e territorio")


@pytest.fixture
def team_user(db):
    return UserFactory(email="team@test.local", full_name="Teresa Team", role=Role.TEAM)


@pytest.fixture
def office_a_user(office_a):
    return UserFactory(email="office.a@test.local", full_name="Andrea Uffici", role=Role.OFFICE, office=office_a)


@pytest.fixture
def office_b_user(office_b):
    return UserFactory(email="office.b@test.local", full_name="Bruna Uffici", role=Role.OFFICE, office=office_b)


@pytest.fixture
def mayor_a(messina):
    return UserFactory(email="mayor.a@test.local", full_name="Sindaco Messina", role=Role.MAYOR, municipality=messina)


@pytest.fixture
def mayor_b(lipari):
    return UserFactory(email="mayor.b@test.local", full_name="Sindaco Lipari", role=Role.MAYOR, municipality=lipari)


@pytest.fixture
def council_user(db):
    return UserFactory(email="council@test.local", full_name="Carla Consiglio", role=Role.COUNCIL)


@pytest.fixture
def stakeholder_user(db):
    return UserFactory(
        email="stakeholder@test.local", full_name="Stefano Stakeholder", role=Role.STAKEHOLDER, organisation="ANCE"
    )


@pytest.fixture
def secretary_user(db):
    return UserFactory(email="secretary@test.local", full_name="Sergio Segreteria", role=Role.SECRETARY)


CAST = [
    "anonymous",
    "team_user",
    "office_a_user",
    "office_b_user",
    "mayor_a",
    "mayor_b",
    "council_user",
    "stakeholder_user",
    "secretary_user",
]


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as that user (``None`` stays anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="psm_portal.accounts.backends.RoleBackend")
        return client

    return _login


@pytest.fixture
def cast(request):
    """``cast("mayor_a")`` returns that member of the cast, ``cast("anonymous")`` returns None."""

    def _get(name: str):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return _get


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        skip_or_fail("Chromium di Debian non installato (apt-get install chromium)")
    return path


__all__ = ["CAST", "DEMO_PASSWORD", "skip_or_fail"]
