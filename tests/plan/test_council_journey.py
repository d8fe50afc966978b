"""The council's approval, end to end in Debian's Chromium: the team sends the final version to the council, a
councillor files an amendment, the secretary records its vote and the deliberation (each after its confirmation
page), the public /piano/ shows the approved plan, and /piano/verifica/ confirms the file a citizen downloaded.
axe-core finds no WCAG 2.1 AA violation on any page, at 1280 px and, for the public pages, at 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from phases.models import Phase
from phases.phases import PhaseKey
from plan.models import AmendmentState, Deliberation, PlanStatus
from plan.services import plan_render, plan_request
from projects.factories import AgendaActionFactory, AgendaFactory, ProjectFactory
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie
from tests.files import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stub_renderer")]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_council_approves_the_plan_and_anybody_verifies_the_copy(
    live_server, chromium_path, team_user, council_user, secretary_user, office_a, media, tmp_path
):
    from playwright.sync_api import sync_playwright

    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        project = ProjectFactory(office=office_a, title="Porto di Milazzo: nuova banchina")
        agenda = AgendaFactory(year=2027)
        AgendaActionFactory(agenda=agenda, position=1, title="Progettazione della banchina", projects=[project])
        document, _created = plan_request(kind="final", user=team_user, enqueue=False)
        document = plan_render(document_id=document.pk)
        assert document.status == PlanStatus.READY
        signed = tmp_path / "delibera-firmata.pdf"
        signed.write_bytes(PDF_BYTES)

        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        errors: list[str] = []

        def signed_in(user):
            context = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="it-IT")
            context.add_cookies([session_cookie(user, live_server)])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            return page

        try:
            # 1. The team sends the final version, with the 2027 agenda, to the council (confirmed).
            team = signed_in(team_user)
            team.goto(f"{live_server.url}/area-riservata/consiglio/")
            assert_accessible(team, "fascicolo del Consiglio, prima della trasmissione")
            now = timezone.now()
            team.get_by_label("Versione del piano finale").select_option(str(document.pk))
            team.get_by_label("Agenda annuale da esaminare con il piano").select_option(str(agenda.pk))
            team.get_by_label("Emendamenti dal").fill(_local(now - timedelta(hours=1)))
            team.get_by_label("Emendamenti fino al").fill(_local(now + timedelta(days=3)))
            team.get_by_role("button", name="Trasmetti al Consiglio").click()
            team.get_by_role("heading", name="Trasmettere il piano finale al Consiglio metropolitano?").wait_for()
            assert document.sha256 in team.content()
            assert_accessible(team, "conferma della trasmissione")
            team.get_by_role("button", name="Trasmetti al Consiglio").click()
            team.get_by_text("Il piano è all'esame del Consiglio metropolitano.").wait_for()

            # 2. A councillor files an amendment to the Vision.
            councillor = signed_in(council_user)
            councillor.goto(f"{live_server.url}/area-riservata/consiglio/emendamenti/nuovo/")
            assert_accessible(councillor, "nuovo emendamento")
            councillor.get_by_label("Che cosa emenda").select_option("section")
            councillor.get_by_label("Sezione del piano").select_option("vision")
            councillor.get_by_label("Testo proposto").fill("Aggiungere le aree interne dei Nebrodi.")
            councillor.get_by_label("Motivazione").fill("La Visione non nomina le aree interne.")
            councillor.get_by_role("button", name="Presenta l'emendamento").click()
            councillor.get_by_role("heading", name="Emendamento n. 1").wait_for()
            assert_accessible(councillor, "emendamento presentato")

            # 3. The secretary declares it admissible and records its vote (confirmed).
            secretary = signed_in(secretary_user)
            secretary.goto(councillor.url)
            secretary.get_by_role("radio", name="ammissibile", exact=True).check(
                force=True
            )  # the label covers the styled radio
            secretary.get_by_role("button", name="Registra l'ammissibilità").click()
            secretary.get_by_role("button", name="Registra il voto").wait_for()
            assert_accessible(secretary, "voto dell'emendamento")
            for label, value in [("Presenti", "20"), ("Favorevoli", "14"), ("Contrari", "4"), ("Astenuti", "2")]:
                secretary.get_by_label(label).fill(value)
            secretary.get_by_role("radio", name="approvato", exact=True).check(
                force=True
            )  # the label covers the styled radio
            secretary.get_by_role("button", name="Registra il voto").click()
            secretary.get_by_role("heading", name="Registrare il voto sull'emendamento n. 1?").wait_for()
            assert_accessible(secretary, "conferma del voto")
            secretary.get_by_role("button", name="Registra il voto").click()
            secretary.get_by_text("Voto registrato.").wait_for()

            # 4. The secretary records the deliberation: the confirmation shows what will be frozen.
            secretary.goto(f"{live_server.url}/area-riservata/consiglio/delibera/")
            assert_accessible(secretary, "registrazione della delibera")
            today = timezone.localdate()
            secretary.get_by_label("Numero della delibera").fill("12")
            secretary.locator("#id_year").fill(str(today.year))
            secretary.get_by_label("Data della seduta").fill(today.strftime("%d/%m/%Y"))
            secretary.locator("#id_session").fill(f"seduta ordinaria del {today:%d/%m/%Y}")
            for label, value in [("Presenti", "24"), ("Favorevoli", "17"), ("Contrari", "5"), ("Astenuti", "2")]:
                secretary.get_by_label(label).fill(value)
            secretary.get_by_role("radio", name="approvato", exact=True).check(
                force=True
            )  # the label covers the styled radio
            secretary.get_by_label("Delibera firmata (PDF)").set_input_files(str(signed))
            secretary.get_by_role("button", name="Continua").click()
            secretary.get_by_role("heading", name=f"Registrare la Delibera n. 12/{today.year}?").wait_for()
            confirmation = " ".join(secretary.content().split())
            assert document.sha256 in confirmation and "Porto di Milazzo: nuova banchina" in confirmation
            assert_accessible(secretary, "conferma della delibera")
            secretary.get_by_role("button", name="Registra la delibera").click()
            secretary.get_by_text(f"Delibera n. 12/{today.year} registrata.").wait_for()
            deliberation = Deliberation.objects.get()
            assert deliberation.document_sha256 == document.sha256

            # 5. Anybody: /piano/ shows the approved plan; the downloaded copy is verified.
            public = browser.new_context(viewport=DESKTOP, locale="it-IT", accept_downloads=True)
            citizen = public.new_page()
            citizen.on("pageerror", lambda exc: errors.append(str(exc)))
            citizen.goto(f"{live_server.url}/piano/")
            approved = citizen.get_by_role("region", name="Il piano approvato")
            text = " ".join(approved.inner_text().split())
            assert f"Delibera n. 12/{today.year} del {today:%d/%m/%Y}" in text
            assert "24 presenti: 17 favorevoli, 5 contrari, 2 astenuti" in text
            assert document.sha256 in text and "Agenda annuale 2027, versione 1" in text
            assert "Emendamento n. 1" in text and f"Esito: {AmendmentState.APPROVED.label}" in text
            for viewport, width in ((DESKTOP, 1280), (PHONE, 375)):
                citizen.set_viewport_size(viewport)
                assert citizen.evaluate("document.documentElement.scrollWidth") <= width
                assert_accessible(citizen, f"/piano/ a {width} px")
            citizen.set_viewport_size(DESKTOP)
            with citizen.expect_download() as download:
                citizen.get_by_role("link", name="Piano finale, versione 1").click()
            copy = download.value.path()

            citizen.goto(f"{live_server.url}/piano/verifica/")
            citizen.get_by_label("Il file PDF da verificare").set_input_files(copy)
            citizen.get_by_role("button", name="Verifica", exact=True).click()
            verdict = citizen.get_by_role("status")
            assert (
                f"È la versione 1 del piano (Piano finale), approvata con Delibera n. 12/{today.year} "
                f"del {today:%d/%m/%Y}."
            ) in " ".join(verdict.inner_text().split())
            for viewport, width in ((DESKTOP, 1280), (PHONE, 375)):
                citizen.set_viewport_size(viewport)
                assert citizen.evaluate("document.documentElement.scrollWidth") <= width
                assert_accessible(citizen, f"/piano/verifica/ a {width} px")
            assert errors == []
        finally:
            browser.close()
