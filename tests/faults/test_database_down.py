"""PostgreSQL goes away under a running web server: every page is a 503 with Retry-After, /healthz names the
database, and the pages come back by themselves when PostgreSQL does.

A private PostgreSQL cluster (``tests/processes.py``), migrated, and ``manage.py runserver`` on it with
production settings (DEBUG off). A signed-in team member's session is in the database, so the session and
the user, read by the middleware, fail too.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import secrets
import subprocess
import sys
import time

import pytest

from tests.conftest import skip_or_fail
from tests.processes import ROOT, PortalProcess, PostgresServer, free_port, port_open, wait_until

pytestmark = pytest.mark.faults

CITIZEN_PAGES = ["/comuni/", "/questionario/citta/", "/en/comuni/"]
# Signed in: the session and the user are read from the database by the middleware, on any page.
TEAM_PAGES = ["/", "/admin/", "/area-riservata/"]

SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from surveys.factories import every_kind_questionnaire

every_kind_questionnaire(slug="citta", title="La città")
user = UserFactory(email="team@faults.local", full_name="Teresa Team", role=Role.TEAM)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "psm_portal.accounts.backends.RoleBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("SESSION=" + session.session_key)
"""


@pytest.fixture
def postgres():
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        skip_or_fail("PostgreSQL (initdb) non installato: il test del database che cade richiede PostgreSQL")
    server = PostgresServer()
    try:
        server.init().start()
        server.createdb("psm")
        yield server
    finally:
        server.stop()


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "psm_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _get(port: int, path: str, session: str | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}"} if session else {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        conn.close()


def _statuses(port: int, session: str) -> dict[str, int]:
    statuses = {path: _get(port, path)[0] for path in CITIZEN_PAGES}
    statuses |= {path: _get(port, path, session)[0] for path in TEAM_PAGES}
    return statuses


def test_database_down_is_a_503_and_the_portal_comes_back(postgres, tmp_path):
    env = {
        "DATABASE_URL": postgres.url("psm"),
        "REDIS_URL": "",  # sessions in the database, tasks in-process: only PostgreSQL is taken away
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_MANIFEST": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": str(tmp_path / "var"),
        # Read the questionnaire and the phases each time: the per-process memos would serve them a few
        # seconds longer, which is fine for citizens but not what this test is about.
        "SURVEYS_CACHE_SECONDS": "0",
        "PHASE_CACHE_SECONDS": "0",
    }
    _manage(env, "migrate", "--noinput")
    session = _manage(env, "shell", "-c", SETUP).split("SESSION=")[1].strip()

    port = free_port()
    web = PortalProcess.web(env=env, log=tmp_path / "web.log", port=port)
    web.start()
    try:
        wait_until(lambda: port_open(port), timeout=60, what="il server web non risponde", log=web.log)
        assert _statuses(port, session) == dict.fromkeys(CITIZEN_PAGES + TEAM_PAGES, 200), web.output()[-3000:]

        postgres.kill()
        started = time.monotonic()
        for path in CITIZEN_PAGES + TEAM_PAGES:
            status, headers, body = _get(port, path, session if path in TEAM_PAGES else None)
            assert status == 503, (path, status, web.output()[-3000:])
            assert int(headers["retry-after"]) > 0
            if not path.startswith("/en/"):
                assert "Portale momentaneamente non disponibile" in body
        assert time.monotonic() - started < 30  # refused at once, no hang
        # A page that needs no database (the home page, anonymous) is still served.
        assert _get(port, "/")[0] == 200
        status, _, body = _get(port, "/healthz")
        assert status == 503
        health = json.loads(body)
        assert health["database"] == "error" and "database" in health["failed"]
        assert web.alive

        postgres.start()
        wait_until(
            lambda: _statuses(port, session) == dict.fromkeys(CITIZEN_PAGES + TEAM_PAGES, 200),
            timeout=30,
            what="le pagine non tornano a 200 dopo il riavvio di PostgreSQL",
            log=web.log,
        )
        status, _, body = _get(port, "/healthz")
        assert (status, json.loads(body)["database"]) == (200, "ok")
    finally:
        web.stop()
