"""The plan pages in Debian's Chromium: the progress page refreshes itself, axe-core finds no WCAG violation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plan.models import PlanDocument, PlanStatus
from psm_portal.accounts.factories import DEMO_PASSWORD
from tests.browser import CHROMIUM_ARGS, assert_accessible
from tests.plan.conftest import make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_page_reloads_when_the_document_is_ready(live_server, chromium_path, team_user, media):
    from playwright.sync_api import sync_playwright

    make_document(version=1, published=True)
    document = make_document(version=2, status=PlanStatus.RENDERING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(live_server.url + reverse("accounts:login"))
            page.get_by_label("E-mail").fill(team_user.email)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Accedi", exact=True).last.click()
            page.wait_for_url(live_server.url + reverse("accounts:dashboard"))

            page.goto(live_server.url + reverse("plan:progress", args=[document.pk]))
            assert page.locator("#plan-progress-bar").get_attribute("value") == "40"
            assert_accessible(page, "progress page")
            # The worker moves on: the page follows by itself, then reloads once the document is ready.
            PlanDocument.objects.filter(pk=document.pk).update(progress=80)
            page.wait_for_function("document.getElementById('plan-progress-bar').value === 80", timeout=30000)
            PlanDocument.objects.filter(pk=document.pk).update(
                status=PlanStatus.READY, progress=100, file="piano/test-draft-1.pdf", sha256="cd" * 32, pages=7
            )
            page.get_by_role("link", name="Scarica il PDF").wait_for(timeout=30000)
            assert "cd" * 32 in page.content()
            assert_accessible(page, "progress page, ready")

            for url_name in ("plan:list", "plan:manage", "plan:discussion"):
                page.goto(live_server.url + reverse(url_name))
                assert_accessible(page, url_name)
            page.goto(live_server.url + reverse("plan:discussion_coverage"))
            assert_accessible(page, "coverage")
            assert errors == []
        finally:
            context.close()
            browser.close()
