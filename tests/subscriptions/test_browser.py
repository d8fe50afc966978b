"""The subscriber's journey in real Chromium: a citizen subscribes to a comune on a phone, confirms through the
e-mailed link, the team validates a progress report for that comune, and the digest links to it; axe-clean at phone
and desktop widths, no sideways scroll at 375 px."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from implementation.factories import ReportingCycleFactory
from implementation.models import ProgressReport
from implementation.services import report_submit
from phases.models import Phase
from phases.phases import PhaseKey
from subscriptions.models import Subscriber
from subscriptions.services import digest_send
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def project(office_a, messina):
    from phases.factories import ObjectiveFactory
    from projects.factories import ProjectFactory

    axis = ObjectiveFactory(code="A", order=1, title="Connessioni")
    general = ObjectiveFactory(code="A1", parent=axis, order=1, title="Strade sicure")
    specific = ObjectiveFactory(code="A1.1", parent=general, order=1, title="Viabilità provinciale")
    return ProjectFactory(
        office=office_a,
        title="Ponte sul torrente Annunziata",
        municipalities=[messina],
        objectives=[specific],
        funding={"pnrr": Decimal("800000")},
        published_at=timezone.now(),
    )


def test_a_citizen_subscribes_to_a_comune_and_the_digest_links_to_its_validated_progress(
    live_server, chromium_path, settings, team_user, office_a_user, project
):
    from playwright.sync_api import sync_playwright

    settings.SITE_URL = live_server.url
    cycle = ReportingCycleFactory(title="II trimestre 2027")
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=True), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # 1. a citizen subscribes to Messina on a phone (the form is checked on a desktop too)
            desktop = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="it-IT").new_page()
            desktop.goto(f"{live_server.url}/iscrizioni/")
            assert_accessible(desktop, "iscrizione 1280 px")
            citizen = browser.new_context(viewport=PHONE, bypass_csp=True, locale="it-IT").new_page()
            citizen.goto(f"{live_server.url}/notizie/")
            citizen.get_by_role("link", name="Ricevi gli aggiornamenti per e-mail").first.click()
            assert_accessible(citizen, "iscrizione 375 px")
            assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            citizen.get_by_label("Indirizzo e-mail").fill("cittadina@example.org")
            citizen.get_by_label("Le notizie del Piano Strategico").uncheck(
                force=True
            )  # the label covers the styled box
            box = citizen.get_by_role("combobox", name="Gli aggiornamenti di questi comuni")
            box.fill("messina")
            citizen.get_by_role("listbox", name="Gli aggiornamenti di questi comuni").get_by_role(
                "option", name="Messina"
            ).click()
            citizen.get_by_label(re.compile("Ho letto l'informativa")).check(force=True)
            citizen.get_by_role("button", name="Iscriviti").click()
            citizen.wait_for_selector("text=Controllate la vostra casella di posta")
            assert_accessible(citizen, "iscrizione inviata")
            subscriber = Subscriber.objects.get()
            assert not subscriber.is_confirmed
            assert list(subscriber.subscriptions.values_list("topic", "key")) == [("comune", "083048")]

            # 2. confirms through the e-mailed link
            assert len(mail.outbox) == 1
            link = re.search(r"http\S+/iscrizioni/conferma/\S+/", mail.outbox[0].body).group(0)
            citizen.goto(link)
            assert_accessible(citizen, "conferma")
            citizen.get_by_role("button", name="Conferma l'iscrizione").click()
            citizen.wait_for_selector("text=Iscrizione confermata")
            subscriber.refresh_from_db()
            assert subscriber.is_confirmed

            # 3. the team validates a progress report on a project in Messina, after the confirmation page
            report = report_submit(
                user=office_a_user,
                cycle=cycle,
                subject=project,
                progress="on_track",
                percent=35,
                milestones=[{"title": "Consegna dei lavori", "planned_on": timezone.localdate()}],
            )
            team = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="it-IT")
            team.add_cookies([session_cookie(team_user, live_server)])
            page = team.new_page()
            page.goto(f"{live_server.url}{report.get_absolute_url()}")
            page.get_by_role("button", name="Valida…").click()
            page.get_by_role("button", name="Valida la rilevazione").click()
            page.wait_for_selector("text=Rilevazione validata")
            assert ProgressReport.objects.get().current

            # 4. the digest links to it; the link opens the project's page with the progress
            mail.outbox.clear()
            assert digest_send() == 1
            digest = mail.outbox[0]
            assert digest.to == ["cittadina@example.org"] and "avanzamento al 35%" in digest.body
            assert digest.extra_headers["List-Unsubscribe"].startswith(f"<{live_server.url}/iscrizioni/annulla/")
            links = re.findall(rf"{re.escape(live_server.url)}/progetti/\d+/", digest.body)
            assert links and urlsplit(links[0]).path == project.get_absolute_url()
            for viewport in (PHONE, DESKTOP):
                visitor = browser.new_context(viewport=viewport, bypass_csp=True, locale="it-IT").new_page()
                visitor.goto(links[0])
                assert "Consegna dei lavori" in visitor.content()
                assert visitor.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                assert_accessible(visitor, f"progetto dal riepilogo {viewport['width']} px")

            # 5. the unsubscribe link of the digest deletes the address
            unsubscribe = re.search(r"http\S+/iscrizioni/annulla/\S+/", digest.body).group(0)
            citizen.goto(unsubscribe)
            assert_accessible(citizen, "annulla l'iscrizione")
            citizen.get_by_role("button", name="Annulla l'iscrizione").click()
            citizen.wait_for_selector("text=Iscrizione annullata")
            assert not Subscriber.objects.exists()
        finally:
            browser.close()
