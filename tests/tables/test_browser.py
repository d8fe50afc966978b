"""The working tables' journey in real Chromium: the team creates a table and a session, the mayor accepts and sends a
contribution, the coordinating office records attendance, minutes (confirmed) and an outcome linked to a proposal,
and the public sees the minutes, the map and the outcome on the proposal's project; axe-clean at 1280 and 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from phases.models import Phase
from phases.phases import PhaseKey
from projects.factories import ProjectFactory, ProposalFactory
from tables.models import Answer, Attendance, Contribution, Invitation, MinutesState, Outcome, Session, WorkingTable
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _context(browser, live_server, user=None, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT")
    if user is not None:
        context.add_cookies([session_cookie(user, live_server)])
    return context.new_page()


def test_team_mayor_coordinator_and_public(
    live_server, chromium_path, team_user, office_a, office_a_user, mayor_a, messina
):
    from playwright.sync_api import sync_playwright

    project = ProjectFactory(office=office_a, title="Porto turistico di Milazzo")
    proposal = ProposalFactory(proposer=mayor_a, project=project, state="accepted", title="Approdo per le Eolie")
    phase = Phase.objects.get(key=PhaseKey.AGENDA)
    start = phase.starts_at + timedelta(days=1)
    with time_machine.travel(start, tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # 1. the team creates the table and a session
            page = _context(browser, live_server, team_user)
            page.goto(f"{live_server.url}/area-riservata/tavoli/")
            assert_accessible(page, "tavoli del team")
            page.get_by_role("link", name="Nuovo tavolo").click()
            page.get_by_label("Titolo").fill("Mobilità e porti")
            page.get_by_label("Tema").fill("Collegamenti con le isole")
            page.get_by_label("Ufficio coordinatore").select_option(label=office_a.name)
            box = page.get_by_role("combobox", name="Comuni membri")
            box.fill("messina")
            page.get_by_role("listbox", name="Comuni membri").get_by_role("option", name="Messina").click()
            page.get_by_label("Organizzazioni membri").fill("ANCE")
            assert_accessible(page, "nuovo tavolo")
            page.get_by_role("button", name="Salva il tavolo").click()
            page.wait_for_selector("text=Tavolo «Mobilità e porti» salvato")
            table = WorkingTable.objects.get()
            page.get_by_role("link", name="Nuova seduta").click()
            when = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            page.get_by_label("Titolo").fill("Prima seduta")
            page.get_by_label("Data e ora di inizio").fill(when.strftime("%Y-%m-%dT%H:%M"))
            page.get_by_label("Luogo (indirizzo)").fill("Palazzo dei Leoni, Messina")
            page.get_by_label("Ordine del giorno").fill("Apertura\nI porti delle Eolie")
            assert_accessible(page, "nuova seduta")
            page.get_by_role("button", name="Salva e invia").click()
            page.wait_for_selector("text=Seduta salvata")
            session = Session.objects.get()
            assert session.table == table and session.starts_at == when

            # 2. the mayor accepts and sends a contribution
            mayor = _context(browser, live_server, mayor_a, PHONE)
            mayor.goto(f"{live_server.url}{session.get_absolute_url()}")
            mayor.locator("label[for=id_answer_0]").click()  # Bootstrap Italia draws the radio on its label
            assert_accessible(mayor, "risposta del sindaco")
            mayor.get_by_role("button", name="Invia la risposta").click()
            mayor.wait_for_selector("text=Risposta registrata")
            assert Invitation.objects.get(user=mayor_a).answer == Answer.ATTEND
            mayor.goto(f"{live_server.url}{table.get_absolute_url()}")
            mayor.get_by_label("Contributo").fill("Serve un approdo sicuro per gli aliscafi.")
            mayor.get_by_role("button", name="Invia il contributo").click()
            mayor.wait_for_selector("text=Contributo inviato")
            assert Contribution.objects.get().member.municipality == messina
            assert mayor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        finally:
            browser.close()

    with time_machine.travel(session.starts_at + timedelta(hours=3), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # 3. the coordinating office records attendance, minutes and an outcome linked to the proposal
            desk = _context(browser, live_server, office_a_user)
            desk.goto(f"{live_server.url}/area-riservata/tavoli/")
            desk.get_by_role("link", name=f"{table.title}, {timezone.localtime(session.starts_at):%d/%m/%Y}").click()
            desk.get_by_label("Comune di Messina").fill("3")
            desk.get_by_role("button", name="Salva le presenze").click()
            desk.wait_for_selector("text=Presenze registrate")
            assert Attendance.objects.get().people == 3
            desk.get_by_label("Testo del verbale").fill("<p>Il tavolo ha condiviso la priorità dei porti.</p>")
            desk.get_by_role("button", name="Salva la bozza").click()
            desk.wait_for_selector("text=Bozza del verbale salvata")
            assert_accessible(desk, "seduta del coordinatore")
            desk.get_by_role("button", name="Pubblica il verbale").click()
            assert_accessible(desk, "conferma della pubblicazione")
            desk.get_by_role("button", name="Pubblica il verbale").click()
            desk.wait_for_selector("text=Verbale pubblicato.")
            assert Session.objects.get().minutes_state == MinutesState.PUBLISHED
            desk.goto(f"{live_server.url}{table.get_absolute_url()}")
            desk.get_by_role("textbox", name="Esito").fill("Un approdo per le Eolie")
            box = desk.get_by_role("combobox", name="Proposta di progetto")
            box.fill("approdo")
            desk.get_by_role("listbox", name="Proposta di progetto").get_by_role("option", name=proposal.title).click()
            desk.get_by_role("button", name="Registra l'esito").click()
            desk.wait_for_selector("text=Esito registrato")
            assert Outcome.objects.get().proposal == proposal

            # 4. the public sees the minutes, the map and the outcome on the proposal's project
            for viewport in (DESKTOP, PHONE):
                visitor = _context(browser, live_server, None, viewport)
                for url, text in (
                    (session.get_absolute_url(), "Il tavolo ha condiviso la priorità dei porti."),
                    ("/tavoli/", "La partecipazione dei comuni"),
                    (project.get_absolute_url(), "Un approdo per le Eolie"),
                ):
                    visitor.goto(f"{live_server.url}{url}")
                    assert text in visitor.content(), url
                    assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
                    assert_accessible(visitor, f"{url} {viewport['width']} px")
        finally:
            browser.close()
