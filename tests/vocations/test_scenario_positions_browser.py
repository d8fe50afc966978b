"""In Chromium: the team's page of the scenarios' review and the confirmation before closing, a mayor's position
page, the public version page and /scenari/ with the live count; axe-core clean and no sideways scroll at 1280 and
375 px."""

from __future__ import annotations

import pytest

from phases.models import VisionStatus
from tests.browser import CHROMIUM_ARGS
from tests.phases.test_journey import sign_in, sign_out
from tests.vocations.test_browser import check
from tests.vocations.test_scenario_positions import make_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def http_settings(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def test_the_review_pages_are_accessible(reference_data, live_server, chromium_path, http_settings, team_user, mayor_a):
    from playwright.sync_api import sync_playwright

    make_version(1, VisionStatus.CLOSED)
    opened = make_version(2, VisionStatus.OPEN)
    draft = make_version(3)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_context(bypass_csp=True, locale="it-IT").new_page()
        page.goto(f"{base}/scenari/")
        assert "finora 0 posizioni" in page.locator("#consultazione-aperta").inner_text()
        check(page, "scenari")
        page.goto(f"{base}/scenari/versioni/1/")
        check(page, "versione chiusa")

        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/scenari/consultazioni/")
        check(page, "gestione")
        page.get_by_role("button", name="Chiudi la consultazione versione 2").click()
        check(page, "conferma chiusura")
        page.goto(f"{base}/area-riservata/scenari/consultazioni/{opened.pk}/posizioni/")
        check(page, "posizioni")
        page.goto(f"{base}/area-riservata/scenari/consultazioni/{draft.pk}/modifica/")
        check(page, "bozza")
        sign_out(page)

        sign_in(page, base, mayor_a.email)
        page.goto(f"{base}/area-riservata/scenari/posizione/")
        check(page, "posizione")
        browser.close()
    opened.refresh_from_db()
    assert opened.is_open  # the confirmation page changed nothing
