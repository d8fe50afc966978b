"""The final plan's council section, from the approving deliberation: its data, its fingerprint, and the PDF
read back (a real WeasyPrint render)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from plan.council_section import council_fingerprint, council_provider
from plan.models import Amendment, DeliberationOutcome, PlanStatus
from plan.sections import fingerprint
from plan.services import plan_render, plan_request
from projects.factories import AgendaActionFactory, AgendaFactory
from projects.models import Agenda, AgendaStatus
from psm_portal.lib.money import format_euro
from tests.plan import synthetic
from tests.plan.conftest import pdf_text
from tests.plan.council_rows import approved_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast3(team_user, secretary_user, council_user):
    return {"team": team_user, "secretary": secretary_user, "councillor": council_user}


def test_without_an_approving_deliberation_the_section_says_the_plan_awaits_the_council(cast3):
    data = council_provider("final")
    assert data["available"] is False
    assert "non ha ancora approvato il piano" in data["note"]
    approved_plan(**cast3, outcome=DeliberationOutcome.REJECTED)
    assert council_provider("final")["available"] is False


def test_before_the_approval_the_final_pdf_says_the_plan_goes_to_the_council():
    """Not «non ancora disponibile»: the version the council examines says what it is."""
    from django.template.loader import render_to_string

    with translation.override("it"):
        html = render_to_string("plan/pdf/_council.html", {"section": council_provider("final")})
    assert "questa versione del piano finale è quella da sottoporre al suo esame" in html
    assert "non ancora disponibile" not in html.lower()


def test_the_section_gives_the_deliberation_its_votes_projects_and_amendments(cast3):
    deliberation = approved_plan(**cast3, amendments=4, projects=3)
    data = council_provider("final")
    assert data["label"] == "Delibera n. 12/2027"
    assert (data["date"], data["session"]) == ("2027-06-30", "seduta ordinaria del 30/06/2027")
    assert (data["present"], data["votes_for"], data["votes_against"], data["abstained"]) == (22, 15, 4, 3)
    assert data["document"] == {"kind": "Piano finale", "version": 1, "sha256": deliberation.document_sha256}
    assert [p["title"] for p in data["projects"]] == [f"Progetto approvato {n}" for n in (1, 2, 3)]
    assert [(a["number"], a["outcome"]) for a in data["amendments"]] == [
        (1, "approvato"),
        (2, "respinto"),
        (3, "ritirato"),
        (4, "inammissibile"),
    ]
    first = data["amendments"][0]
    assert first["target"] == "cambiare l'importo di un progetto" and first["amount"] == "987654.32"
    assert (first["votes_for"], first["votes_against"], first["abstained"]) == (13, 5, 2)
    assert data["amendments"][1]["subject"] == "La Visione"
    assert first["subject"].startswith("Porto 1 (CUP ")


def test_a_correction_replaces_the_act_it_corrects(cast3):
    first = approved_plan(**cast3)
    approved_plan(**cast3, number=13, document=first.document, corrects=first)
    data = council_provider("final")
    assert (data["label"], data["corrects"]) == ("Delibera n. 13/2027", "Delibera n. 12/2027")


def test_the_section_costs_the_same_queries_for_few_or_many_amendments(cast3):
    approved_plan(**cast3, amendments=2, projects=2)
    with CaptureQueriesContext(connection) as few:
        council_provider("final")
    approved_plan(**cast3, amendments=60, projects=2000, number=14)  # the latest act is the one in force
    with CaptureQueriesContext(connection) as many:
        data = council_provider("final")
    assert len(data["amendments"]) == 60 and len(data["projects"]) == 2000
    assert len(many.captured_queries) == len(few.captured_queries) == 2


def test_the_fingerprint_moves_with_every_change_the_section_prints(cast3):
    deliberation = approved_plan(**cast3)
    seen = {council_fingerprint("final")}
    changes = [
        lambda: Amendment.objects.filter(number=1).update(votes_for=12),
        lambda: Amendment.objects.filter(number=2).update(text="Un altro testo."),
        lambda: approved_plan(**cast3, number=20, document=deliberation.document, corrects=deliberation),
        lambda: approved_plan(**cast3, number=21, document=deliberation.document),
    ]
    for change in changes:
        change()
        value = council_fingerprint("final")
        assert value not in seen
        seen.add(value)
    assert fingerprint("draft") == fingerprint("draft")  # the draft has no council section


def test_the_final_pdf_prints_the_deliberation_the_votes_the_projects_and_the_amendments(settings, cast3, media):
    # Everything synthetic but the council's and the agenda's sections, which read the rows.
    real = {"council", "agenda"}
    settings.PSM_PLAN_PROVIDERS = {key: path for key, path in synthetic.PROVIDERS.items() if key not in real}
    settings.PSM_PLAN_SYNTHETIC = {"objectives": 8, "projects": 6, "questions": 1}
    # Actions are written while the agenda is submitted: on PostgreSQL a trigger refuses them once approved.
    agenda = AgendaFactory(year=2027, status=AgendaStatus.SUBMITTED)
    actions = [
        AgendaActionFactory(agenda=agenda, position=1, title="Progettazione del porto"),
        AgendaActionFactory(agenda=agenda, position=2, title="Gara d'appalto della banchina"),
        AgendaActionFactory(agenda=agenda, position=3, title="Collaudo e apertura"),
    ]
    Agenda.objects.filter(pk=agenda.pk).update(
        status=AgendaStatus.APPROVED, approved_by_act="Delibera n. 12/2027", approved_at=timezone.now()
    )
    agenda.refresh_from_db()
    deliberation = approved_plan(**cast3, amendments=4, projects=12, agenda=agenda)
    document, created = plan_request(kind="final", user=cast3["team"], enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        _reader, pages = pdf_text(handle.read())
    chapter = next(page for page in pages if "APPROVAZIONE DEL CONSIGLIO" in page.upper() and "Delibera" in page)
    text = " ".join(" ".join(pages[pages.index(chapter) :]).split())
    assert "Il Consiglio metropolitano ha approvato il piano con la Delibera n. 12/2027 del 30/06/2027" in text
    # The facts' values in their order (the text layer gives the labels first): date, session, outcome, present,
    # for, against, abstained, the version voted.
    assert (
        "Delibera n. 12/2027 30/06/2027 seduta ordinaria del 30/06/2027 approvato 22 15 4 3 Piano finale, versione 1"
        in text
    )
    assert deliberation.document_sha256 in text.replace(" ", "")
    for project in deliberation.projects:
        assert project["title"] in text and project["cup"] in text
        assert format_euro(project["amount"]) in text
    assert "€ 1.234.567,50" in text  # Italian money, the first project's amount
    assert "5 emendamenti presentati, con il loro esito e i voti" in text
    for row in [
        "1 Cambiare l'importo di un progetto: Porto 1 (CUP",
        "approvato 20 13 5 2",
        "respinto 20 6 11 2",
        "3 Cambiare l'importo di un progetto: Porto 3 (CUP",
        "— € 987.654,32 Testo proposto dall'emendamento 1.",
        "ritirato — — — —",
        "inammissibile",
        "5 Un'azione dell'agenda annuale: A2027.1 Progettazione del porto",
        "approvato 20 16 3 1",
    ]:
        assert row in text, row
    assert "Il Consiglio metropolitano non ha ancora approvato" not in text
    # Every action of the agenda approved with the plan, in its own section.
    assert "Versione 1, approvata con Delibera n. 12/2027" in text
    for action in actions:
        assert f"{action.code} {action.title}" in text
