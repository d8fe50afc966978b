"""In Chromium: the team opens a round → mayor A rates the vocations and picks a priority → the team closes the
round and publishes the priority vocations → the public vocation map shows Messina; axe-core clean at 1280 and
375 px on every page of the journey."""

from __future__ import annotations

import pytest

from municipalities.maps import SEQUENTIAL
from tests.browser import CHROMIUM_ARGS, assert_accessible
from tests.phases.test_journey import sign_in, sign_out
from vocations.models import Answer, Priority, Round, RoundStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]


@pytest.fixture
def http_settings(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def check(page, where: str) -> None:
    """axe-core clean and no sideways scroll, at both widths."""
    for viewport in WIDTHS:
        page.set_viewport_size(viewport)
        assert_accessible(page, f"{where} @{viewport['width']}px")
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"{where} @{viewport['width']}px scrolls sideways: {width}"
    page.set_viewport_size(WIDTHS[0])


def test_open_answer_close_publish_and_see_the_map(
    reference_data, live_server, chromium_path, http_settings, vocations, draft_round, team_user, mayor_a
):
    from playwright.sync_api import sync_playwright

    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_context(bypass_csp=True, locale="it-IT").new_page()

        # The team opens the round, after the confirmation page.
        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/vocazioni/")
        check(page, "gestione")
        page.get_by_role("button", name="Apri Bozza").click()
        check(page, "conferma apertura")
        with page.expect_navigation():
            page.get_by_role("button", name="Apri la consultazione").click()
        assert "La consultazione è aperta." in page.locator(".alert-success").inner_text()
        assert Round.objects.get().status == RoundStatus.OPEN
        sign_out(page)

        # Mayor A rates every vocation for Messina and picks the sea as a priority, with a reason.
        sign_in(page, base, mayor_a.email)
        page.goto(f"{base}/area-riservata/vocazioni/rispondi/")
        check(page, "risposta")
        for vocation, score in zip(vocations, ["5", "3", "2"], strict=True):
            page.locator(f'label[for="id_score_{vocation.pk}_{int(score) - 1}"]').click()
        page.locator(f'label[for="id_priority_{vocations[0].pk}"]').click()
        page.fill(f"#id_reason_{vocations[0].pk}", "Il porto e lo Stretto.")
        with page.expect_navigation():
            page.get_by_role("button", name="Invia la risposta").click()
        assert "Risposta salvata" in page.locator(".alert-success").inner_text()
        check(page, "risposta salvata")
        answer = Answer.objects.get()
        assert answer.municipality_id == "083048" and answer.ratings.get(vocation=vocations[0]).priority
        sign_out(page)

        # The team closes the round and publishes the sea as a priority vocation of the whole territory.
        sign_in(page, base, team_user.email)
        page.goto(f"{base}/area-riservata/vocazioni/")
        page.get_by_role("button", name="Chiudi Bozza").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Chiudi la consultazione").click()
        check(page, "gestione dopo la chiusura")
        page.locator("label", has_text="Economia del mare").first.click()
        page.fill("#id_rationale", "La vocazione più rilevante per i comuni che hanno risposto.")
        with page.expect_navigation():
            page.get_by_role("button", name="Pubblica le vocazioni prioritarie").click()
        assert "Vocazioni prioritarie pubblicate." in page.locator(".alert-success").inner_text()
        assert list(Priority.objects.values_list("vocation__slug", "area")) == [("mare", None)]
        sign_out(page)

        # The public: the priority on /vocazioni/, Messina coloured by its score on the vocation's map.
        page.goto(f"{base}/vocazioni/")
        assert "Economia del mare" in page.locator("main").inner_text()
        check(page, "vocazioni")
        page.goto(f"{base}/vocazioni/mare/")
        assert page.get_attribute('path[data-istat="083048"]', "fill") == SEQUENTIAL[4]
        check(page, "vocazione")
        page.goto(f"{base}/scenari/")
        check(page, "scenari")
        browser.close()
