"""In Chromium: the team opens the review, mayor A answers, the dashboard shows Messina as answered."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from phases.coverage import STATE_PALETTE
from phases.factories import VisionVersionFactory
from phases.models import Position
from psm_portal.accounts.factories import DEMO_PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def http_settings(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def assert_accessible(page, axe) -> None:
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accedi/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]:has-text('Accedi')")
    page.wait_for_url(f"{base}/area-riservata/")


def sign_out(page) -> None:
    page.click("button:has-text('Esci')")


def test_team_opens_mayor_answers_dashboard_shows_messina(
    live_server, chromium_path, http_settings, tree, listening_now, team_user, mayor_a
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    version = VisionVersionFactory(number=1, title="Messina 2030")
    base = live_server.url
    axe = Axe()
    deadline = timezone.localtime(timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        context = browser.new_context(bypass_csp=True, locale="it-IT")
        page = context.new_page()

        # The PSM team opens the review.
        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/visione/")
        assert_accessible(page, axe)
        page.fill(f"#deadline-{version.pk}", deadline)
        page.click("button:has-text('Apri la consultazione')")
        page.wait_for_selector("text=è aperta alle posizioni")
        assert_accessible(page, axe)
        sign_out(page)

        # Mayor A gives the position of Messina on the Vision and on the two general objectives.
        sign_in(page, base, mayor_a.email)
        page.goto(f"{base}/area-riservata/posizioni/")
        page.wait_for_url(f"{base}/area-riservata/posizioni/comune/083048/")
        assert_accessible(page, axe)
        for target, stance_label, comment in [
            ("visione", "d'accordo", ""),
            ("A1", "d'accordo con modifiche", "Servono più collegamenti con i Nebrodi."),
            ("A2", "in disaccordo", ""),
        ]:
            section = page.locator(f"#posizione-{target}")
            # Bootstrap Italia draws its own radio over the input: check it as a user would, via its label.
            section.get_by_label(stance_label, exact=True).check(force=True)
            if comment:
                section.get_by_label("Commento").fill(comment)
            section.locator("button[type=submit]").click()
            page.wait_for_selector(".alert-success")
        assert Position.objects.filter(municipality_id="083048").count() == 3
        assert_accessible(page, axe)
        sign_out(page)

        # The team's dashboard shows Messina as answered, on the map and in the table.
        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/consultazione/")
        fill = page.get_attribute('path[data-istat="083048"]', "fill")
        assert fill == STATE_PALETTE["answered"][0]
        assert page.get_attribute('path[data-istat="083041"]', "fill") == STATE_PALETTE["none"][0]
        assert page.get_attribute('tr[data-istat="083048"]', "data-state") == "answered"
        assert_accessible(page, axe)
        browser.close()
