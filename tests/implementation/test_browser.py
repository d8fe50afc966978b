"""The implementation journey in real Chromium: an office reports progress on its project, the team validates it
after the confirmation page, anybody sees it on /attuazione/ and on the comune's page, on a phone too; axe-clean
throughout, no sideways scroll at 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from implementation.factories import ReportingCycleFactory
from implementation.models import ProgressReport, Review
from phases.models import Phase
from phases.phases import PhaseKey
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_an_office_reports_the_team_validates_and_everybody_sees_it(
    live_server, chromium_path, team_user, office_a_user, project_a, messina
):
    from playwright.sync_api import sync_playwright

    ReportingCycleFactory(title="II trimestre 2027")
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # 1. the office reports on its project
            office = browser.new_context(bypass_csp=True, locale="it-IT")
            office.add_cookies([session_cookie(office_a_user, live_server)])
            desk = office.new_page()
            desk.goto(f"{live_server.url}/area-riservata/attuazione/")
            assert_accessible(desk, "rendicontazione dell'ufficio")
            desk.get_by_role("link", name=f"Rendiconta {project_a.title}").click()
            assert_accessible(desk, "nuova rilevazione")
            desk.get_by_label("Stato di attuazione").select_option("on_track")
            desk.get_by_label("Percentuale di completamento").fill("35")
            desk.locator("#id_traguardi-0-title").fill("Consegna dei lavori")
            desk.locator("#id_traguardi-0-planned_on").fill("15/03/2027")
            desk.locator("#id_fonti-0-committed").fill("300.000,00")
            desk.locator("#id_fonti-0-paid").fill("120.000,50")
            desk.get_by_role("button", name="Invia la rilevazione").click()
            desk.wait_for_selector("text=Rilevazione inviata")
            report = ProgressReport.objects.get()
            assert report.review == Review.SUBMITTED and report.paid_total == 120000.50

            # 2. the team validates it, after the confirmation page
            team = browser.new_context(bypass_csp=True, locale="it-IT")
            team.add_cookies([session_cookie(team_user, live_server)])
            page = team.new_page()
            page.goto(f"{live_server.url}/area-riservata/attuazione/da-verificare/")
            page.get_by_role("link", name=project_a.title).click()
            assert_accessible(page, "rilevazione da verificare")
            page.get_by_role("button", name="Valida…").click()
            assert_accessible(page, "conferma")
            page.get_by_role("button", name="Valida la rilevazione").click()
            page.wait_for_selector("text=Rilevazione validata")
            report.refresh_from_db()
            assert report.current

            # 3. anybody sees it, on a phone too
            for viewport in ({"width": 1280, "height": 900}, PHONE):
                visitor = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT").new_page()
                visitor.goto(f"{live_server.url}/attuazione/")
                assert "35,0%" in visitor.content() and "€ 120.000,50" in visitor.content()
                assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                assert_accessible(visitor, f"attuazione {viewport['width']} px")
                visitor.goto(f"{live_server.url}/comuni/083048/")
                assert "Attuazione nel comune" in visitor.content()
                assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                assert_accessible(visitor, f"comune {viewport['width']} px")
                visitor.goto(f"{live_server.url}{project_a.get_absolute_url()}")
                assert "Consegna dei lavori" in visitor.content()
                assert_accessible(visitor, f"progetto {viewport['width']} px")
        finally:
            browser.close()
