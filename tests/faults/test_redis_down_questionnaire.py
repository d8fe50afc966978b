"""Citizens answer the questionnaire through the real forms while Redis is killed and started again: no response
is lost and no page is a 500.

A private Redis (its append-only file on, as production runs it) and gunicorn with three worker processes on the test
database (PostgreSQL: the web processes must see it) with production settings (DEBUG off, the session engine and
the cache that ``REDIS_URL`` selects). Citizens, each with their own cookies, accept the privacy notice and send the three
sections with the CSRF token of each page, many at a time. Redis is SIGKILLed in the middle, stays down for a
while, and comes back with what it held (so the sessions it kept are older than the database's). Every citizen
must reach the thank-you page, with no 500 and no jump back to an earlier section, and every response must be
in the database, each exactly once (each citizen writes their number in an open answer).

Before ``psm_portal.lib.sessions`` and the soft-failing cache, every request that touched the session while Redis
was down was a 500. The figures (submissions per second with Redis up and down) are printed: ``pytest -s``.
"""

from __future__ import annotations

import http.client
import re
import secrets
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from surveys.factories import every_kind_questionnaire
from surveys.models import Kind, Response
from tests.conftest import skip_or_fail
from tests.processes import PortalProcess, RedisServer, free_port, port_open, wait_until
from tests.surveys.conftest import Q, section_posts

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

CITIZENS_AT_ONCE = 8
UP_BEFORE, DOWN, UP_AFTER = 8.0, 12.0, 10.0  # seconds
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARRIED = re.compile(r'name="stato" value="([^"]+)"')


class Browser:
    """One citizen's browser: its own cookies, no redirect followed by itself."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body, headers)
            reply = conn.getresponse()
            text = reply.read().decode(errors="replace")
            for header in reply.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return reply.status, reply.headers.get("Location", ""), text
        finally:
            conn.close()


@dataclass
class Outcome:
    number: int
    statuses: list[int] = field(default_factory=list)
    derailed: str = ""
    started: float = 0.0
    submitted: float | None = None  # when the last section's POST was answered with the thank-you page


def pages(slug: str, count: int) -> dict[str, object]:
    return {
        "start": reverse("surveys:start", args=[slug]),
        "sections": [reverse("surveys:section", args=[slug, n]) for n in range(1, count + 1)],
        "thanks": reverse("surveys:thanks", args=[slug]),
    }


def answer(browser: Browser, number: int, paths: dict, posts: list[dict], short_text: int) -> Outcome:
    """Accept the privacy notice and send every section, as a browser would; stop at the first surprise."""
    outcome = Outcome(number=number, started=time.monotonic())
    sections = paths["sections"]
    steps = [(paths["start"], {"privacy": "on"}, sections[0])]
    steps += list(zip(sections, posts, [*sections[1:], None], strict=True))
    for path, data, expected in steps:
        status, _, page = browser.send("GET", path)
        outcome.statuses.append(status)
        if status != 200 or not TOKEN.search(page):
            outcome.derailed = f"GET {path}: {status}"
            return outcome
        form = {**data, "csrfmiddlewaretoken": TOKEN.search(page).group(1)}
        if CARRIED.search(page):
            form["stato"] = CARRIED.search(page).group(1)
        if f"q{short_text}" in data:
            form[f"q{short_text}"] = f"cittadino-{number}"
        status, location, _ = browser.send("POST", path, form)
        outcome.statuses.append(status)
        if expected is None:
            if status == 302 and location.endswith(paths["thanks"]):
                outcome.submitted = time.monotonic()
            else:
                outcome.derailed = f"POST {path} (ultima sezione): {status} {location}"
            return outcome
        if status != 302 or not location.endswith(expected):
            outcome.derailed = f"POST {path}: {status} {location}, attesa {expected}"
            return outcome
    return outcome


@pytest.fixture
def portal(transactional_db, tmp_path):
    """A private Redis and a web process on the test database, configured as in production."""
    if connection.vendor != "postgresql":
        skip_or_fail("serve PostgreSQL (DATABASE_URL): il server web deve vedere il database di test")
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server non installato: il test di guasto avvia un Redis privato")
    redis = RedisServer(tmp_path / "redis").start()
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis.url(),
        "CELERY_QUEUE": f"psm-faults-{secrets.token_hex(4)}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_MANIFEST": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": str(tmp_path / "var"),
        "SURVEYS_RATE_LIMIT": "1000000",  # counted (in Redis, or not while it is down), never reached
    }
    port = free_port()
    # gunicorn as deploy/psm-web.service runs it: several processes, each with its own view of the outage.
    args = [sys.executable, "-m", "gunicorn", "psm_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    web = PortalProcess(args, env=env, log=tmp_path / "web.log")
    web.start()
    try:
        wait_until(lambda: port_open(port), timeout=60, what="il server web non risponde", log=web.log)
        yield {"port": port, "redis": redis, "web": web}
    finally:
        web.stop()
        redis.stop()


def test_citizens_answer_while_redis_is_killed_and_restarted_nothing_lost_no_500(portal):
    survey = every_kind_questionnaire(slug="citta", title="La città")
    q = Q(survey)
    posts = section_posts(q)
    short_text = q(Kind.SHORT_TEXT, 1).pk
    paths = pages(survey.slug, len(posts))
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(1, 1_000_000))

    def citizen_after_citizen():
        while not stop.is_set():
            with lock:
                number = next(counter)
            outcome = answer(Browser(portal["port"]), number, paths, posts, short_text)
            with lock:
                outcomes.append(outcome)

    # Every gunicorn worker has loaded the portal before the clock starts.
    for _ in range(3):
        warm_up = answer(Browser(portal["port"]), next(counter), paths, posts, short_text)
        assert warm_up.submitted, warm_up
        outcomes.append(warm_up)
    threads = [threading.Thread(target=citizen_after_citizen, daemon=True) for _ in range(CITIZENS_AT_ONCE)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(UP_BEFORE)
    killed = time.monotonic()
    portal["redis"].kill()
    time.sleep(DOWN)
    portal["redis"].start()  # with the sessions it held when it was killed
    restarted = time.monotonic()
    time.sleep(UP_AFTER)
    stop.set()
    ended = time.monotonic()
    for thread in threads:
        thread.join(timeout=120)

    submitted = [o for o in outcomes if o.submitted is not None]
    errors = [o for o in outcomes if any(status >= 500 for status in o.statuses)]
    derailed = [o for o in outcomes if o.derailed]
    per_second = {
        "up, before": sum(began <= o.submitted < killed for o in submitted) / (killed - began),
        "down": sum(killed <= o.submitted < restarted for o in submitted) / (restarted - killed),
        "up, after": sum(restarted <= o.submitted < ended for o in submitted) / (ended - restarted),
    }
    across = sum(o.started < killed <= o.submitted for o in submitted)
    across += sum(o.started < restarted <= o.submitted for o in submitted)
    print(
        f"\nRedis down {restarted - killed:.0f} s: {len(outcomes)} citizens, {len(submitted)} responses sent, "
        f"{sum(s >= 500 for o in outcomes for s in o.statuses)} pages 500, {len(derailed)} derailed, "
        f"{across} answering across a kill or a restart; responses a second: "
        + ", ".join(f"{phase} {rate:.1f}" for phase, rate in per_second.items())
    )

    assert not errors, [(o.number, o.derailed, o.statuses) for o in errors[:5]]
    assert not derailed, [(o.number, o.derailed) for o in derailed[:5]]
    assert per_second["down"] > 0 and across > 0  # citizens did answer during the outage, and across it
    # Every response sent is in the database, once: each citizen wrote their number in an open answer.
    stored = [pending[str(short_text)] for pending in Response.objects.values_list("pending", flat=True)]
    assert sorted(stored) == sorted(f"cittadino-{o.number}" for o in submitted)
    output = portal["web"].output()
    assert "unreachable" in output and "reachable again" in output  # the warnings an operator sees
    assert "Internal Server Error" not in output, output[-3000:]
