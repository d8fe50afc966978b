"""In Chromium: a vocation's page and /scenari/ with what emerged from the working tables, axe-core clean and without
sideways scroll at 1280 and 375 px; the coordinator's outcome form with the vocation and scenario choices too."""

from __future__ import annotations

import pytest

from tables.services import outcome_create
from tests.browser import CHROMIUM_ARGS, session_cookie
from tests.vocations.test_browser import check
from vocations.models import Scenario, Vocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def http_settings(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def test_the_vocation_page_and_the_scenarios_show_the_tables_outcomes_accessibly(
    live_server, chromium_path, http_settings, table, office_a_user
):
    from playwright.sync_api import sync_playwright

    vocation = Vocation.objects.create(slug="mare", name="Economia del mare", description="Porti e pesca.")
    scenario = Scenario.objects.create(slug="obiettivo", title="Obiettivo", narrative="Meglio", assumptions="b")
    outcome_create(
        user=office_a_user,
        table=table,
        title="Una rete di approdi per le isole minori e i borghi costieri dell'area metropolitana",
        vocation=vocation,
        scenario=scenario,
    )
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, locale="it-IT")
        page = context.new_page()
        for url in (f"{base}/vocazioni/mare/", f"{base}/scenari/"):
            page.goto(url)
            assert page.get_by_role("heading", name="Emerso dai tavoli di lavoro").is_visible(), url
            assert "Una rete di approdi" in page.locator("#main-container").inner_text(), url
            check(page, url)
        context.add_cookies([session_cookie(office_a_user, live_server)])
        page.goto(f"{base}{table.get_absolute_url()}")
        assert page.get_by_label("Vocazione del territorio").count() == 1
        check(page, "tavolo (coordinatore)")
        browser.close()
