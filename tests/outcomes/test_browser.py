"""The traceability journey in real Chromium: the team answers an istanza and picks, in the autocomplete, the
objective it was taken into account in; the mayor reads what became of it on a phone; anybody finds the istanza on
the objective's page. axe-core clean, nothing scrolls sideways at 375 px."""

from __future__ import annotations

import pytest

from outcomes.models import Link
from phases.factories import NeedFactory
from phases.models import NeedStatus
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def _no_sideways_scroll(page, where: str) -> None:
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"{where}: {width} px wide in a {client} px window"


def test_an_answered_istanza_is_traced_to_its_objective(live_server, chromium_path, team_user, mayor_a, messina, tree):
    from playwright.sync_api import sync_playwright

    need = NeedFactory(municipality=messina, author=mayor_a, title="Strada per Castanea", status=NeedStatus.RECEIVED)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            team = browser.new_context(bypass_csp=True, locale="it-IT")
            team.add_cookies([session_cookie(team_user, live_server)])
            page = team.new_page()
            page.goto(f"{live_server.url}{need.get_absolute_url()}")
            assert_accessible(page, "esame dell'istanza")
            page.get_by_label("Esito").select_option("taken")
            box = page.get_by_role("combobox", name="Presa in considerazione in")
            box.fill("viabilita")
            page.get_by_role("listbox", name="Presa in considerazione in").get_by_role(
                "option", name="A1.1 Viabilità provinciale"
            ).click()
            page.get_by_label("Risposta del team PSM").fill("Ne terremo conto nell'obiettivo A1.1.")
            page.get_by_role("button", name="Salva l'esame").click()
            page.wait_for_selector("text=Esame dell'istanza salvato")
            assert Link.objects.get().target == tree["A1.1"]
            assert_accessible(page, "istanza esaminata")

            mayor = browser.new_context(bypass_csp=True, locale="it-IT", viewport=PHONE)
            mayor.add_cookies([session_cookie(mayor_a, live_server)])
            phone = mayor.new_page()
            phone.goto(f"{live_server.url}/area-riservata/esiti/")
            assert "Strada per Castanea" in phone.content()
            phone.get_by_role("link", name="A1.1 Viabilità provinciale").click()
            phone.wait_for_selector("text=I contributi che vi hanno portato")
            assert "Strada per Castanea" in phone.content()
            for width, viewport in ((375, PHONE), (1280, {"width": 1280, "height": 900})):
                phone.set_viewport_size(viewport)
                for url in ("/area-riservata/esiti/", tree["A1.1"].get_absolute_url(), messina.get_absolute_url()):
                    phone.goto(f"{live_server.url}{url}")
                    assert_accessible(phone, f"{url} a {width} px")
                    _no_sideways_scroll(phone, f"{url} a {width} px")
        finally:
            browser.close()
