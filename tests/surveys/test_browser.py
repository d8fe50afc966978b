"""A citizen answers the every-kind questionnaire on a phone in real Chromium, one section by keyboard only."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from municipalities.models import Municipality
from phases.models import Phase
from surveys.factories import every_kind_questionnaire
from surveys.models import Answer, Kind, Response
from tests.browser import CHROMIUM_ARGS, assert_accessible


def reference_data() -> None:
    """A transactional test starts from an emptied database when another one ran before it."""
    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    if not Phase.objects.exists():
        importlib.import_module("phases.migrations.0002_default_phases").create_phases(apps, None)


def tick(page, label: str, exact: bool = False) -> None:
    """Click the visible label of a radio or checkbox (Bootstrap Italia draws them over the input)."""
    element_id = page.get_by_label(label, exact=exact).get_attribute("id")
    page.locator(f'label[for="{element_id}"]').click()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_answers_every_kind_on_a_phone(live_server, chromium_path):
    from playwright.sync_api import sync_playwright

    reference_data()
    survey = every_kind_questionnaire(slug="telefono", title="Mobilità e futuro", results_published=True)
    questions = {q.pk: q for q in survey.questions.prefetch_related("options")}

    def first(kind, n=0):
        return [q for q in sorted(questions.values(), key=lambda q: (q.section.order, q.order)) if q.kind == kind][n]

    def option(question, label):
        return next(o.pk for o in question.options.all() if o.label == label)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True, locale="it-IT")
        page = context.new_page()
        page.goto(f"{live_server.url}/questionario/telefono/")
        assert page.locator("h1").inner_text() == "Mobilità e futuro"
        assert page.locator("#informativa").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
        assert_accessible(page, "inizio")
        page.get_by_role("button", name="Inizia il questionario").click()
        assert "Per iniziare conferma" in page.content()
        tick(page, "Ho letto l'informativa")
        page.get_by_role("button", name="Inizia il questionario").click()

        # Section 1, with the pointer: the number question appears only after «Sì».
        page.wait_for_url("**/sezione/1/")
        assert page.get_by_text("Sezione 1 di 3").is_visible()
        number = page.locator(f"#domanda-{first(Kind.NUMBER).pk}")
        assert number.is_hidden()
        page.get_by_role("button", name="Salva e continua").click()
        assert page.get_by_text("Ci sono 3 risposte da correggere").is_visible()
        assert_accessible(page, "sezione 1 con errori")
        page.get_by_label("In quale comune vivi?").select_option("083048")
        tick(page, "25–34")
        tick(page, "Sì", exact=True)
        assert number.is_visible()
        page.get_by_label("Quanti minuti impieghi per lo spostamento?").fill("45")
        assert_accessible(page, "sezione 1")
        page.get_by_role("button", name="Salva e continua").click()

        # Section 2, by keyboard only.
        page.wait_for_url("**/sezione/2/")
        single, multiple, ranking = first(Kind.SINGLE), first(Kind.MULTIPLE), first(Kind.RANKING)
        assert_accessible(page, "sezione 2")
        tab_to(page, f'input[name="q{single.pk}"]')
        page.keyboard.press("ArrowDown")  # Auto → Autobus, and selects it
        tab_to(page, f'input[name="q{multiple.pk}"][value="{option(multiple, "Trasporti")}"]')
        page.keyboard.press("Space")
        tab_to(page, f'input[name="q{multiple.pk}"][value="{option(multiple, "Altro")}"]')
        page.keyboard.press("Space")
        tab_to(page, f'input[name="q{multiple.pk}_other"]')
        page.keyboard.type("Sanità")
        for position, label in enumerate(["Porti", "Strade", "Digitale"], start=1):
            tab_to(page, f'select[name="q{ranking.pk}_r{position}"]')
            page.keyboard.type(label)
        tab_to(page, 'button[type="submit"]')
        page.keyboard.press("Enter")

        # Section 3: the conditional question on «Autobus» is there, Likert and texts.
        page.wait_for_url("**/sezione/3/")
        assert page.get_by_text("Quale linea di trasporto useresti se ci fosse?").is_visible()
        tick(page, "4 – Abbastanza d'accordo")
        page.get_by_label("Quale linea di trasporto useresti se ci fosse?").fill("Messina–Milazzo")
        page.get_by_label("Che cosa dovrebbe cambiare nei prossimi anni?").fill("Più treni.")
        assert_accessible(page, "sezione 3")
        page.get_by_role("button", name="Invia le risposte").click()

        page.wait_for_url("**/grazie/")
        assert page.get_by_role("heading", name="Grazie per aver risposto").is_visible()
        assert_accessible(page, "grazie")
        page.get_by_role("link", name="Guarda i risultati").click()
        page.wait_for_url("**/risultati/")
        assert_accessible(page, "risultati")
        # A second visit from the same browser is told it already answered.
        page.goto(f"{live_server.url}/questionario/telefono/")
        assert "hai già risposto" in page.content()
        browser.close()

    response = Response.objects.get(questionnaire=survey)
    stored = {(a.question_id, a.option_id): a for a in Answer.objects.filter(response=response)}
    assert response.municipality_id == "083048"
    assert (single.pk, option(single, "Autobus")) in stored
    assert stored[(multiple.pk, option(multiple, "Altro"))].text == "Sanità"
    assert (multiple.pk, option(multiple, "Trasporti")) in stored
    assert [stored[(ranking.pk, option(ranking, x))].rank for x in ("Porti", "Strade", "Digitale")] == [1, 2, 3]
    assert stored[(first(Kind.NUMBER).pk, None)].number == 45
    assert stored[(first(Kind.LIKERT).pk, None)].number == 4
