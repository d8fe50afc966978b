"""The shared progress script in Debian's Chromium, on the spreadsheet import page (the plan page has its own test)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from projects.models import ImportState, ProjectImport
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_import_page_follows_the_rows_and_reloads_when_done(live_server, chromium_path, office_a_user, office_a):
    from playwright.sync_api import sync_playwright

    batch = ProjectImport(
        office=office_a,
        uploaded_by=office_a_user,
        original_name="grande.csv",
        state=ImportState.IMPORTING,
        total_rows=10000,
        processed_rows=2500,
    )
    batch.file.save("grande.csv", ContentFile(b"x"), save=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True)
        context.add_cookies([session_cookie(office_a_user, live_server)])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(live_server.url + batch.get_absolute_url())
            assert page.locator("#import-progress-bar").get_attribute("value") == "2500"
            assert_accessible(page, "import progress")
            ProjectImport.objects.filter(pk=batch.pk).update(processed_rows=5000)
            label = page.locator("#import-progress-label")
            # The text comes from the page (translated there), the numbers in the page's language.
            label.filter(has_text="importazione in corso: 5.000 righe elaborate su 10.000 (50%)").wait_for(
                timeout=30000
            )
            ProjectImport.objects.filter(pk=batch.pk).update(state=ImportState.DONE, processed_rows=10000)
            page.get_by_text("Importazione conclusa").wait_for(timeout=30000)
            assert page.locator("#import-progress").count() == 0
            assert errors == []
        finally:
            context.close()
            browser.close()
