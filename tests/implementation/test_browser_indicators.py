"""The indicators measured in real Chromium: the responsible office enters a value (a wrong one first, told why in
Italian), anybody then sees baseline → value → target on the objective page, at desktop and phone widths; axe-clean,
no sideways scroll at 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from implementation.models import IndicatorValue
from phases.factories import IndicatorFactory
from phases.models import Phase
from phases.phases import PhaseKey
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_the_office_enters_a_value_and_everybody_sees_the_chart(live_server, chromium_path, office_a_user, action_a):
    from playwright.sync_api import sync_playwright

    indicator = IndicatorFactory(
        objective=action_a.objective, name="Tempo medio di percorrenza", unit="min", baseline=45, target=30
    )
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            office = browser.new_context(bypass_csp=True, locale="it-IT")
            office.add_cookies([session_cookie(office_a_user, live_server)])
            page = office.new_page()
            page.goto(f"{live_server.url}/area-riservata/attuazione/")
            page.get_by_role("link", name="Indicatori misurati: inserisci i valori anno per anno").click()
            assert_accessible(page, "indicatori dell'ufficio")
            page.get_by_role("link", name=indicator.name).click()
            page.locator("#id_year").fill("2027")
            page.locator("#id_value").fill("quaranta")
            page.locator("#id_source").fill("Rilevazione ANAS")
            page.get_by_role("button", name="Registra il valore").click()
            page.wait_for_selector("text=non è un numero")
            assert_accessible(page, "valore sbagliato")
            assert not IndicatorValue.objects.exists()
            page.locator("#id_value").fill("41,5")
            page.get_by_role("button", name="Registra il valore").click()
            page.wait_for_selector("text=Valore del 2027 registrato")
            assert IndicatorValue.objects.get().source == "Rilevazione ANAS"

            # The office's pages on a phone: the list and the indicator with its chart, table and form.
            phone = browser.new_context(viewport=PHONE, bypass_csp=True, locale="it-IT")
            phone.add_cookies([session_cookie(office_a_user, live_server)])
            small = phone.new_page()
            for path in (
                "/area-riservata/attuazione/indicatori/",
                f"/area-riservata/attuazione/indicatori/{indicator.pk}/",
            ):
                small.goto(f"{live_server.url}{path}")
                assert_accessible(small, f"{path} a 375 px")
                width = small.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
                assert width[0] <= width[1], (path, width)
            phone.close()

            for viewport in ({"width": 1280, "height": 900}, PHONE):
                public = browser.new_context(viewport=viewport, locale="it-IT")
                objective_page = public.new_page()
                objective_page.goto(f"{live_server.url}{indicator.objective.get_absolute_url()}")
                chart = objective_page.get_by_role("img", name=indicator.name)
                assert chart.is_visible()
                assert objective_page.get_by_role("cell", name="41,50").is_visible()
                assert_accessible(objective_page, f"pagina dell'obiettivo a {viewport['width']} px")
                width = objective_page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
                assert width[0] <= width[1], width
                public.close()
        finally:
            browser.close()
