"""What every Playwright test shares: how Debian's Chromium is started, the axe-core check, a signed-in session."""

from __future__ import annotations

import os
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

# Playwright's sync API runs an event loop in the test thread; live_server's ORM calls are then flagged.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# This machine's network is closed: Chromium must not try to reach Google's services at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page, where: str = "") -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{where or page.url}:\n{results.generate_report()}"


def session_cookie(user, live_server) -> dict:
    """A session cookie that signs the browser in as ``user`` without going through the login form."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # database or Redis, as configured
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "psm_portal.accounts.backends.RoleBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}
