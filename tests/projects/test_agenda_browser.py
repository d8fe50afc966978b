"""The agenda's journey in real Chromium: the team opens the 2027 draft, an office drafts an action for its project,
the team orders and submits the agenda, anybody filters it on /agenda/2027/ on a phone; axe-clean throughout."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from phases.models import Phase
from phases.phases import PhaseKey
from projects.factories import AgendaActionFactory
from projects.models import Agenda, AgendaStatus
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_team_and_office_prepare_submit_and_publish_the_agenda(
    live_server, chromium_path, team_user, office_a_user, office_b, published_a, published_b
):
    from playwright.sync_api import sync_playwright

    phase = Phase.objects.get(key=PhaseKey.AGENDA)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            team = browser.new_context(bypass_csp=True, locale="it-IT")
            team.add_cookies([session_cookie(team_user, live_server)])
            page = team.new_page()
            # 1. the team opens the 2027 draft
            page.goto(f"{live_server.url}/area-riservata/agenda/")
            assert_accessible(page, "elenco delle agende")
            page.get_by_label("Anno dell'agenda").select_option("2027")
            page.get_by_role("button", name="Nuova versione (bozza)").click()
            page.wait_for_selector("text=Nuova bozza")
            agenda = Agenda.objects.get()
            AgendaActionFactory(agenda=agenda, position=1, responsible_office=office_b, projects=[published_b])

            # 2. the office drafts an action for its own project
            office = browser.new_context(bypass_csp=True, locale="it-IT")
            office.add_cookies([session_cookie(office_a_user, live_server)])
            desk = office.new_page()
            desk.goto(f"{live_server.url}/area-riservata/agenda/{agenda.pk}/")
            desk.get_by_role("link", name="Nuova azione").click()
            assert_accessible(desk, "nuova azione")
            desk.get_by_label("Titolo").fill("Progettazione esecutiva del ponte")
            desk.get_by_label("Progetti").select_option(str(published_a.pk))
            desk.get_by_label("Trimestre di avvio").select_option("1")
            desk.get_by_label("Trimestre di conclusione").select_option("3")
            desk.get_by_label("Budget (€)").fill("120.000,50")
            desk.get_by_role("button", name="Salva").click()
            desk.wait_for_selector("text=Azione salvata")
            assert "Progettazione esecutiva del ponte" in desk.content()
            assert_accessible(desk, "bozza dell'ufficio")

            # 3. the team puts the office's action first and submits, after the confirmation page
            page.goto(f"{live_server.url}/area-riservata/agenda/{agenda.pk}/")
            page.get_by_label("Posizione di «Progettazione esecutiva del ponte»").fill("1")
            page.get_by_role("button", name="Salva l'ordine").click()
            page.wait_for_selector("text=Ordine delle azioni salvato")
            assert_accessible(page, "editor dell'agenda")
            page.get_by_role("button", name="Sottoponi al Consiglio…").click()
            assert_accessible(page, "conferma")
            page.get_by_role("button", name="Sottoponi al Consiglio").click()
            page.wait_for_selector("text=sottoposta al Consiglio metropolitano")
            agenda.refresh_from_db()
            assert agenda.status == AgendaStatus.SUBMITTED
            assert agenda.actions.in_order().first().title == "Progettazione esecutiva del ponte"

            # 4. anybody reads and filters it, on a phone too
            for viewport in ({"width": 1280, "height": 900}, PHONE):
                visitor = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT").new_page()
                visitor.goto(f"{live_server.url}/agenda/")
                assert visitor.url.endswith("/agenda/2027/")
                assert "€ 120.000,50" in visitor.content()
                visitor.get_by_label("Comune").select_option("083048")
                visitor.get_by_role("button", name="Applica i filtri").click()
                visitor.wait_for_selector("text=1 azione con i filtri scelti")
                assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                assert_accessible(visitor, f"agenda pubblica {viewport['width']} px")
        finally:
            browser.close()
