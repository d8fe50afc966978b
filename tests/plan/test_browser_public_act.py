"""The approved plan's public pages in Debian's Chromium, at desktop and phone widths: no WCAG violation, and on a
phone no sideways scrolling (the 64 characters of a SHA-256 wrap)."""

from __future__ import annotations

import pytest

from plan.models import PlanKind
from tests.browser import CHROMIUM_ARGS, assert_accessible
from tests.plan.conftest import make_document
from tests.plan.council_rows import approved_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_approved_plan_and_its_verification_read_well_at_every_width(
    width, live_server, chromium_path, team_user, secretary_user, council_user, media
):
    from playwright.sync_api import sync_playwright

    deliberation = approved_plan(team=team_user, secretary=secretary_user, councillor=council_user, amendments=4)
    for version in (1, 2):
        make_document(kind=PlanKind.DRAFT, version=version, published=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{live_server.url}/piano/")
            assert page.get_by_role("heading", name="Il piano approvato").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, "sideways scrolling on /piano/"
            assert_accessible(page, f"/piano/ at {width} px")

            page.get_by_role("link", name="Verifica una copia del piano approvato").click()
            page.wait_for_url("**/piano/verifica/?sha256=*")
            status = page.get_by_role("status")
            assert "approvata con Delibera n. 12/2027 del 30/06/2027" in status.inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, "sideways scrolling on /verifica/"
            assert_accessible(page, f"/piano/verifica/ with a verdict at {width} px")

            page.get_by_label("Oppure la sua impronta SHA-256").fill("non è un'impronta")
            page.get_by_role("button", name="Verifica", exact=True).click()
            assert page.get_by_text("L'impronta può contenere solo cifre da 0 a 9 e lettere da a a f.").is_visible()
            assert_accessible(page, f"/piano/verifica/ with an error at {width} px")
            assert deliberation.document_sha256 not in page.content()
            assert errors == []
        finally:
            context.close()
            browser.close()
