"""In Chromium: the team opens the review, mayor A answers, the dashboard shows Messina as answered."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from phases.coverage import STATE_PALETTE
from phases.factories import VisionVersionFactory
from phases.models import Position
from psm_portal.accounts.factories import DEMO_PASSWORD
from tests.browser import CHROMIUM_ARGS, WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}


@pytest.fixture
def http_settings(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def assert_accessible(page, axe) -> None:
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accedi/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]:has-text('Accedi')")
    page.wait_for_url(f"{base}/area-riservata/")


def sign_out(page) -> None:
    page.click("button:has-text('Esci')")


def test_team_opens_mayor_answers_dashboard_shows_messina(
    reference_data, live_server, chromium_path, http_settings, tree, listening_now, team_user, mayor_a
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    version = VisionVersionFactory(number=1, title="Messina 2030")
    base = live_server.url
    axe = Axe()
    deadline = timezone.localtime(timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, locale="it-IT")
        page = context.new_page()

        # The PSM team opens the review.
        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/visione/")
        assert_accessible(page, axe)
        page.fill(f"#versione-{version.pk}-deadline", deadline)
        page.click("button:has-text('Apri la consultazione')")
        page.wait_for_selector("text=è aperta alle posizioni")
        assert_accessible(page, axe)
        sign_out(page)

        # Mayor A gives the position of Messina on the Vision and on the two general objectives, with one button;
        # the disagreement without a comment is kept with its error while the other two are saved.
        sign_in(page, base, mayor_a.email)
        page.goto(f"{base}/area-riservata/posizioni/")
        page.wait_for_url(f"{base}/area-riservata/posizioni/comune/083048/")
        assert_accessible(page, axe)
        for target, stance_label, comment in [
            ("visione", "d'accordo", ""),
            ("A1", "d'accordo con modifiche", "Servono più collegamenti con i Nebrodi."),
            ("A2", "in disaccordo", ""),
        ]:
            section = page.locator(f"#posizione-{target}")
            # Bootstrap Italia draws its own radio next to a hidden input: click its label, as a user does.
            radio = section.get_by_label(stance_label, exact=True)
            section.locator(f'label[for="{radio.get_attribute("id")}"]').click()
            assert radio.is_checked()
            if comment:
                section.get_by_label("Commento").fill(comment)
        with page.expect_navigation():
            page.get_by_role("button", name="Salva tutte le posizioni").click()
        assert "Posizioni salvate: 2." in page.locator(".alert-success").inner_text()
        assert "che cosa andrebbe cambiato" in page.locator("#posizione-A2").inner_text()
        assert_accessible(page, axe)
        page.locator("#posizione-A2").get_by_label("Commento").fill("Le isole restano escluse.")
        with page.expect_navigation():
            page.get_by_role("button", name="Salva tutte le posizioni").click()
        assert page.locator(".alert-success").is_visible()
        assert Position.objects.filter(municipality_id="083048").count() == 3
        assert_accessible(page, axe)
        sign_out(page)

        # The team's dashboard shows Messina as answered, on the map and in the table.
        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/consultazione/")
        fill = page.get_attribute('path[data-istat="083048"]', "fill")
        assert fill == STATE_PALETTE["answered"][0]
        assert page.get_attribute('path[data-istat="083041"]', "fill") == STATE_PALETTE["none"][0]
        assert page.get_attribute('tr[data-istat="083048"]', "data-state") == "answered"
        assert_accessible(page, axe)
        browser.close()


PUBLIC_PAGES = [
    "/",
    "/fasi/",
    "/visione/",
    "/visione/versioni/",
    "/visione/versioni/2/",
    "/visione/confronta/?da=1&a=2",
    "/visione/confronta/",
    "/visione/obiettivi/A1/",
    "/visione/obiettivi/A1.1/",
    "/comuni/083041/",
]
TEAM_PAGES = [
    "/area-riservata/fasi/",
    "/area-riservata/visione/",
    "/area-riservata/visione/versioni/nuova/",
    "/area-riservata/visione/obiettivi/nuovo/?padre=A1",
    "/area-riservata/consultazione/",
    "/area-riservata/istanze/ricevute/",
    "/area-riservata/posizioni/comune/083041/",
]
MAYOR_PAGES = ["/area-riservata/istanze/", "/area-riservata/istanze/nuova/", "/area-riservata/posizioni/comune/083041/"]


def test_demo_pages_are_accessible(reference_data, live_server, chromium_path, http_settings):
    """The demo content on every page of the process, for the public, the team and a mayor: axe-core clean."""
    from axe_playwright_python.sync_playwright import Axe
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    from phases.models import Need

    call_command("seed_demo", stdout=io.StringIO())
    need = Need.objects.filter(municipality_id="083041").first()
    base = live_server.url
    axe = Axe()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_context(bypass_csp=True, locale="it-IT").new_page()
        for path in PUBLIC_PAGES:
            assert page.goto(base + path).status == 200, path
            assert_accessible(page, axe)
        sign_in(page, base, "team@demo.psm.local")
        for path in [*TEAM_PAGES, f"/area-riservata/istanze/{need.pk}/"]:
            assert page.goto(base + path).status == 200, path
            assert_accessible(page, axe)
        sign_out(page)
        sign_in(page, base, "sindaco.b@demo.psm.local")
        for path in [*MAYOR_PAGES, f"/area-riservata/istanze/{need.pk}/"]:
            assert page.goto(base + path).status == 200, path
            assert_accessible(page, axe)
        browser.close()
