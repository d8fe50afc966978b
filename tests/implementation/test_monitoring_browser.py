"""Bulk reporting in real Chromium: an office uploads its OpenCoesione export, reads the preview and sends the
reports; the page is axe-clean with the form, with the preview and with a bad file's errors, at desktop and phone
widths, without sideways scroll."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from implementation.factories import ReportingCycleFactory
from implementation.models import ProgressReport, Review
from phases.models import Phase
from phases.phases import PhaseKey
from projects.factories import ProjectFactory
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie
from tests.implementation.test_monitoring_import import CUPS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILE = Path(__file__).parent / "data" / "opencoesione_pagamenti.csv"


def test_an_office_reports_from_its_opencoesione_export(live_server, chromium_path, office_a_user, office_a, tmp_path):
    from playwright.sync_api import sync_playwright

    for key, cup in CUPS.items():
        ProjectFactory(
            office=office_a,
            cup=cup,
            title=f"Progetto {key}",
            funding={"pnrr": Decimal("500000")},
            total_cost=Decimal("500000"),
            published_at=timezone.now(),
        )
    ReportingCycleFactory(title="II trimestre 2027")
    bad = tmp_path / "sbagliato.csv"
    bad.write_text("CUP;TOT_PAGAMENTI\nJ12B22000000001;100\n", encoding="utf-8")
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for viewport in ({"width": 375, "height": 812}, {"width": 1280, "height": 900}):
                context = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT")
                context.add_cookies([session_cookie(office_a_user, live_server)])
                page = context.new_page()
                page.goto(f"{live_server.url}/area-riservata/attuazione/")
                page.get_by_role("link", name="Rendiconta da un file di monitoraggio (OpenCoesione, ReGiS)").click()
                assert_accessible(page, f"importazione {viewport['width']} px")
                page.get_by_label("Ciclo di rendicontazione").select_option(label="II trimestre 2027")
                page.get_by_label("File di monitoraggio (CSV o Excel .xlsx)").set_input_files(str(bad))
                page.get_by_role("button", name="Carica e controlla").click()
                page.wait_for_selector("text=nessun progetto del portale ha il CUP J12B22000000001")
                assert_accessible(page, f"errori {viewport['width']} px")
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                page.get_by_label("Ciclo di rendicontazione").select_option(label="II trimestre 2027")
                page.get_by_label("File di monitoraggio (CSV o Excel .xlsx)").set_input_files(str(FILE))
                page.get_by_role("button", name="Carica e controlla").click()
                page.wait_for_selector("text=Il file è corretto: 4 rilevazioni da inviare")
                assert_accessible(page, f"anteprima {viewport['width']} px")
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                context.close()
            page = browser.new_context(bypass_csp=True, locale="it-IT")
            page.add_cookies([session_cookie(office_a_user, live_server)])
            page = page.new_page()
            page.goto(f"{live_server.url}/area-riservata/attuazione/importa/")
            page.get_by_label("Ciclo di rendicontazione").select_option(label="II trimestre 2027")
            page.get_by_label("File di monitoraggio (CSV o Excel .xlsx)").set_input_files(str(FILE))
            page.get_by_role("button", name="Carica e controlla").click()
            page.get_by_role("button", name="Invia 4 rilevazioni").click()
            page.wait_for_selector("text=4 rilevazioni inviate")
            assert ProgressReport.objects.filter(review=Review.SUBMITTED).count() == 4
        finally:
            browser.close()
