"""The search in Debian's Chromium at 375 and 1280 px: typed in the header's box and sent with Enter, the results
grouped by kind, one kind's pages and a refused query; each page axe-clean, no label on another field, no sideways
scroll."""

from __future__ import annotations

import pytest

from projects.factories import ProjectFactory
from psm_portal.accounts.factories import OfficeFactory
from tests.browser import CHROMIUM_ARGS, assert_accessible
from tests.test_browser_every_page import PAGE_CHECKS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {375: {"width": 375, "height": 812}, 1280: {"width": 1280, "height": 900}}


def _laid_out(page, where: str) -> None:
    checks = page.evaluate(PAGE_CHECKS)
    assert checks["overlaps"] == [], where
    assert checks["scrollWidth"] <= checks["width"], f"{where}: {checks['scrollWidth']} px wide"
    box = page.locator("#psm-header-q").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= checks["width"], where
    assert_accessible(page, where)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_search_from_the_header_at_this_width(live_server, chromium_path, width):
    from playwright.sync_api import sync_playwright

    office = OfficeFactory(name="Viabilità")
    for n in range(26):
        ProjectFactory(
            title=f"Riqualificazione della Città vecchia, lotto {n:02d}",
            summary="Marciapiedi, illuminazione e piazze del centro storico: un testo lungo per vedere come va a capo.",
            office=office,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORTS[width], locale="it-IT").new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(live_server.url + "/")
            page.get_by_role("searchbox", name="Cerca nel portale").fill("citta")
            page.keyboard.press("Enter")
            page.wait_for_url("**/cerca/?q=citta")
            assert "26 risultati per «citta»" in page.locator("main").inner_text()
            assert page.locator("#risultati-progetti").inner_text().startswith("Progetti")
            _laid_out(page, f"results @{width}")

            page.get_by_role("link", name="Tutti i 26 risultati in «Progetti»").click()
            page.wait_for_url("**tipo=progetti**")
            assert page.locator(".psm-search-results li").count() == 20
            _laid_out(page, f"one kind @{width}")
            page.get_by_role("link", name="Successiva").click()
            page.wait_for_url("**pagina=2**")
            assert page.locator(".psm-search-results li").count() == 6

            page.goto(live_server.url + "/cerca/?q=%21%21")
            assert "Scrivi almeno una parola di 2 o più lettere o cifre." in page.locator("main").inner_text()
            _laid_out(page, f"refused @{width}")
            assert errors == []
        finally:
            browser.close()
