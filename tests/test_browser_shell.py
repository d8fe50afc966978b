"""The shell in Debian's Chromium: pages render, the map holds 108 links, axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import CHROMIUM_ARGS, WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
PAGES = {
    "home": ("home", [], "Piano Strategico Metropolitano di Messina"),
    "comuni": ("municipalities:list", [], "I 108 comuni della Città Metropolitana"),
    "messina": ("municipalities:detail", ["083048"], "Messina"),
    "accedi": ("accounts:login", [], "Accedi all'area riservata"),
    "opendata": ("opendata", [], "Open data"),
    "accessibilita": ("pages:page", ["accessibilita"], "Dichiarazione di accessibilità"),
}


@pytest.fixture
def browser(chromium_path):
    """Request it after any fixture that writes to the database: code run once Playwright's sync API has
    started gets its own database connection, which nobody closes and which keeps PostgreSQL from
    dropping the test database."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _axe_violations(page) -> tuple[int, str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.response["passes"], "axe-core did not check anything"
    return results.violations_count, results.generate_report()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_render_and_pass_axe(live_server, browser, viewport, tmp_path):
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True, locale="it-IT")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for name, (url_name, args, heading) in PAGES.items():
            response = page.goto(live_server.url + reverse(url_name, args=args))
            assert response is not None and response.status == 200, name
            page.wait_for_load_state("load")
            assert heading in page.locator("h1").first.inner_text(), name
            assert page.locator("html").get_attribute("lang") == "it"
            if name == "comuni":
                assert page.locator("a.psm-map-link").count() == 108
                assert page.locator("a.psm-map-link[aria-label='Messina']").count() == 1
            page.screenshot(path=str(tmp_path / f"{name}-{viewport}.png"), full_page=True)
            count, report = _axe_violations(page)
            assert count == 0, f"{name} ({viewport}):\n{report}"
        assert errors == []
    finally:
        context.close()


def test_phone_menu_opens_and_its_close_button_is_named(live_server, browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("home"))
        toggler = page.get_by_role("button", name="Apri il menu")
        toggler.click()
        close = page.get_by_role("button", name="Chiudi il menu")
        close.wait_for(state="visible")
        assert page.get_by_role("link", name="Comuni", exact=True).is_visible()
        count, report = _axe_violations(page)
        assert count == 0, report
        close.click()
        page.get_by_role("link", name="Comuni", exact=True).wait_for(state="hidden")
    finally:
        context.close()


def test_team_journey_through_the_reserved_area_passes_axe(team_user, live_server, browser):
    """Sign in with the form, then the reserved pages the foundation provides, at phone width."""
    from psm_portal.accounts.factories import DEMO_PASSWORD

    context = browser.new_context(viewport=VIEWPORTS["phone"], bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("accounts:login"))
        page.get_by_label("E-mail").fill("TEAM@test.local")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Accedi", exact=True).last.click()
        page.wait_for_url(live_server.url + reverse("accounts:dashboard"))
        assert "Area riservata" in page.locator("h1").inner_text()
        count, report = _axe_violations(page)
        assert count == 0, f"dashboard:\n{report}"

        for url_name in ("accounts:users", "accounts:invite"):
            page.goto(live_server.url + reverse(url_name))
            count, report = _axe_violations(page)
            assert count == 0, f"{url_name}:\n{report}"

        # The invitation form with its error messages.
        page.get_by_label("Nome e cognome").fill("Nina Nuova")
        page.get_by_label("E-mail").fill("nina@test.local")
        page.get_by_label("Ruolo").select_option("mayor")
        page.get_by_role("button", name="Crea l'account e invia l'invito").click()
        page.get_by_text("Scegli il comune che rappresenta.").wait_for()
        count, report = _axe_violations(page)
        assert count == 0, f"invite with errors:\n{report}"

        page.goto(live_server.url + reverse("pages:edit", args=["privacy"]))
        count, report = _axe_violations(page)
        assert count == 0, f"page edit:\n{report}"

        page.get_by_role("button", name="Esci").click()
        page.wait_for_url(live_server.url + "/")
        assert page.get_by_role("link", name="Accedi").count() >= 1
    finally:
        context.close()
