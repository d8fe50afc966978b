"""The office's journey in real Chromium: upload, preview with one error, fix, import, publish, find it; axe-clean."""

from __future__ import annotations

import pytest

from projects.models import Project
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "CUP;Titolo;Stato;Comuni;Costo totale;Finanziamento PNRR;Inizio previsto;Fine prevista"
ROW = "B41B22000930006;Lungomare di Sant'Agata;finanziato;{comune};1.250.000,00;1.000.000,00;01/03/2025;31/12/2026"


def test_office_uploads_fixes_imports_publishes_and_finds_the_project(
    live_server, chromium_path, office_a_user, tmp_path
):
    from playwright.sync_api import sync_playwright

    bad = tmp_path / "progetti.csv"
    bad.write_text(HEADER + "\n" + ROW.format(comune="SANT'AGATA DI MILITELLOO") + "\n", encoding="utf-8")
    good = tmp_path / "progetti-corretto.csv"
    good.write_text(HEADER + "\n" + ROW.format(comune="SANT'AGATA DI MILITELLO") + "\n", encoding="latin-1")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, locale="it-IT")
        context.add_cookies([session_cookie(office_a_user, live_server)])
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/area-riservata/progetti/")
            page.get_by_role("link", name="Importa da un foglio di calcolo").click()
            assert_accessible(page)

            # 1. a file with one error: the preview says where and why, and nothing is saved
            page.get_by_label("Foglio di calcolo (CSV o Excel .xlsx)").set_input_files(str(bad))
            page.get_by_role("button", name="Carica e controlla").click()
            page.wait_for_selector("text=Il file ha 1 errore")
            errors = page.locator("table", has_text="Errori da correggere")
            assert "comune sconosciuto: «SANT'AGATA DI MILITELLOO»" in errors.inner_text()
            assert "Comuni" in errors.locator("tbody tr").first.inner_text()
            assert_accessible(page)
            assert not Project.objects.exists()

            # 2. the fixed file (saved in Latin-1 this time): preview, confirm, imported as a draft
            page.get_by_role("link", name="Carica un file").first.click()
            page.get_by_label("Foglio di calcolo (CSV o Excel .xlsx)").set_input_files(str(good))
            page.get_by_role("button", name="Carica e controlla").click()
            page.wait_for_selector("text=1 progetti da creare e 0 da aggiornare")
            assert_accessible(page)
            page.get_by_role("button", name="Conferma e importa 1 progetti").click()
            page.wait_for_selector("text=Importazione conclusa")
            assert_accessible(page)

            # 3. publish it from the office's portfolio
            page.get_by_role("link", name="Torna al parco progettuale").click()
            page.get_by_role("link", name="Lungomare di Sant'Agata").click()
            page.get_by_role("button", name="Pubblica").click()
            page.wait_for_selector("text=Progetto pubblicato nel catalogo.")
            assert_accessible(page)
            project = Project.objects.get()
            assert project.is_published and project.cup == "B41B22000930006"

            # 4. anybody finds it in the catalogue and on the municipality's page
            anonymous = browser.new_context(bypass_csp=True, locale="it-IT").new_page()
            anonymous.goto(f"{live_server.url}/progetti/")
            anonymous.get_by_label("Comune", exact=True).select_option("083084")
            anonymous.get_by_role("button", name="Applica i filtri").click()
            assert anonymous.get_by_role("link", name="Lungomare di Sant'Agata").is_visible()
            assert "€ 1.250.000,00" in anonymous.content()
            assert_accessible(anonymous)
            anonymous.goto(f"{live_server.url}/comuni/083084/")
            assert anonymous.get_by_role("link", name="Lungomare di Sant'Agata").is_visible()
            assert_accessible(anonymous)
        finally:
            browser.close()
