"""The governance model's review in real Chromium: the team edits a draft and opens it after the confirmation page,
an office takes a position, the team closes and adopts; the public page with its responsibility table at desktop and
phone widths. axe-clean throughout, no sideways scroll at 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from implementation.governance import governance_draft_create
from implementation.models import GovernanceVersion, OfficeReferent
from phases.models import Phase, Position, VisionStatus
from phases.phases import PhaseKey
from projects.factories import AgendaActionFactory
from projects.models import Agenda, AgendaStatus
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_the_team_drafts_opens_closes_and_adopts_and_everybody_reads_it(
    live_server, chromium_path, team_user, office_a_user, office_b
):
    from playwright.sync_api import sync_playwright

    agenda = Agenda.objects.create(year=2027, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    action = AgendaActionFactory(
        agenda=agenda, title="Piano di manutenzione dei ponti", responsible_office=office_a_user.office
    )
    action.contributing_offices.set([office_b])
    draft = governance_draft_create(actor=team_user)
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            team = browser.new_context(bypass_csp=True, locale="it-IT")
            team.add_cookies([session_cookie(team_user, live_server)])
            page = team.new_page()
            # 1. the team writes the draft: a body and the office's referent
            page.goto(f"{live_server.url}/area-riservata/governance/{draft.pk}/modifica/")
            assert_accessible(page, "bozza")
            page.locator("#id_organismi-0-name").fill("Cabina di regia")
            page.locator("#id_organismi-0-members").fill("Sindaco metropolitano, dirigenti")
            page.locator("#id_organismi-0-duties").fill("Verifica l'avanzamento e decide le correzioni.")
            page.locator("#id_referenti-0-office").select_option(str(office_a_user.office_id))
            page.locator("#id_referenti-0-referent").fill("Dirigente del Servizio Viabilità")
            page.get_by_role("button", name="Salva la bozza").click()
            page.wait_for_selector("text=Bozza salvata")
            assert OfficeReferent.objects.filter(version=draft).count() == 1
            # 2. opens it, after the confirmation page
            assert_accessible(page, "versioni")
            deadline = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
            page.locator(f"#governance-{draft.pk}-deadline").fill(deadline)
            page.get_by_role("button", name=f"Apri la consultazione versione {draft.number}").click()
            assert_accessible(page, "conferma dell'apertura")
            page.get_by_role("button", name="Apri la consultazione").click()
            page.wait_for_selector("text=è aperta alle posizioni")
            draft.refresh_from_db()
            assert draft.status == VisionStatus.OPEN

            # 3. the office takes a position
            office = browser.new_context(bypass_csp=True, locale="it-IT")
            office.add_cookies([session_cookie(office_a_user, live_server)])
            desk = office.new_page()
            desk.goto(f"{live_server.url}/area-riservata/governance/posizione/")
            assert_accessible(desk, "posizione")
            desk.locator('label[for="id_stance_1"]').click()  # Bootstrap Italia's label covers its radio
            desk.get_by_label("Commento").fill("Verifiche bimestrali per le azioni PNRR.")
            desk.get_by_role("button", name="Salva la posizione").click()
            desk.wait_for_selector("text=Posizione salvata")
            assert Position.objects.for_version(draft).count() == 1

            # 4. the team closes and adopts, each after its confirmation page
            page.goto(f"{live_server.url}/area-riservata/governance/")
            page.get_by_role("button", name=f"Chiudi la consultazione versione {draft.number}").click()
            page.get_by_role("button", name="Chiudi la consultazione").click()
            page.wait_for_selector("text=chiusa")
            page.get_by_role("button", name=f"Adotta versione {draft.number}").click()
            page.get_by_role("button", name="Adotta la versione").click()
            page.wait_for_selector("text=adottata")
            assert GovernanceVersion.objects.get(pk=draft.pk).status == VisionStatus.ADOPTED
            page.goto(f"{live_server.url}/area-riservata/governance/{draft.pk}/posizioni/")
            assert_accessible(page, "posizioni ricevute")

            # 5. anybody reads the model in force, on a phone too
            for viewport in ({"width": 1280, "height": 900}, PHONE):
                visitor = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT").new_page()
                pages = {
                    "/attuazione/governance/": ("Piano di manutenzione dei ponti", office_b.name),
                    f"/attuazione/governance/versioni/{draft.number}/": ("D'accordo con modifiche: 1",),
                }
                for path, shown in pages.items():
                    visitor.goto(f"{live_server.url}{path}")
                    html = visitor.content()
                    assert "Cabina di regia" in html and "Dirigente del Servizio Viabilità" in html
                    assert all(text in html for text in shown), path
                    assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                    assert_accessible(visitor, f"{path} {viewport['width']} px")
        finally:
            browser.close()
