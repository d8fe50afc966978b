"""The final plan's agenda section: which version it prints, actions grouped by objective, Italian numbers in
the PDF, a fingerprint that moves with every change, constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plan.models import PlanStatus
from plan.sections import collect, fingerprint, sections_for
from plan.services import plan_render, plan_request
from projects.factories import AgendaActionFactory, AgendaFactory, ProjectFactory
from projects.models import Agenda, AgendaAction, AgendaStatus
from projects.plan_section import agenda_fingerprint, agenda_provider
from tests.plan.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda_2027(office_a, office_b, published_a, published_b, tree):
    """The submitted 2027 agenda: two actions on B1.1 and A1.1 (in that order of position) and one with none."""
    agenda = AgendaFactory(year=2027, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    AgendaActionFactory(
        agenda=agenda,
        position=1,
        title="Pulizia degli argini",
        responsible_office=office_b,
        objective=tree["B1.1"],
        projects=[published_b],
        start_quarter=2,
        due_quarter=4,
        budget=Decimal("1234567.89"),
        funding_source="fsc",
    )
    action = AgendaActionFactory(
        agenda=agenda,
        position=2,
        title="Progettazione del ponte",
        responsible_office=office_a,
        objective=tree["A1.1"],
        projects=[published_a],
        start_quarter=1,
        due_quarter=1,
        budget=Decimal("11.40"),
        expected_output="Progetto esecutivo",
    )
    action.contributing_offices.set([office_b])
    AgendaActionFactory(agenda=agenda, position=3, title="Coordinamento", responsible_office=office_a, budget=0)
    return agenda


def test_the_agenda_is_a_section_of_the_final_plan_only():
    assert "agenda" in sections_for("final") and "agenda" not in sections_for("draft")


def test_without_a_public_agenda_the_section_says_so(agenda_draft):
    section = collect("final")["agenda"]
    assert section["available"] is False
    assert "sottoposta al Consiglio" in section["note"]


def test_the_section_groups_the_actions_by_objective_in_the_trees_order(agenda_2027):
    data = agenda_provider("final")
    (year,) = data["years"]
    assert (year["year"], year["approved"], year["status"], year["count"]) == (
        2027,
        False,
        "sottoposta al Consiglio",
        3,
    )
    assert year["budget"] == "1234579.29"
    assert [group["code"] for group in year["groups"]] == ["A1.1", "B1.1", ""]
    assert year["groups"][2]["title"] == "Azioni senza obiettivo specifico"
    bridge = year["groups"][0]["actions"][0]
    assert bridge["code"] == "A2027.2" and bridge["office"] == "Viabilità e infrastrutture"
    assert bridge["contributing"] == ["Ambiente e territorio"] and bridge["quarters"] == "I trimestre 2027"
    assert bridge["budget"] == "11.40" and bridge["projects"] == [
        {"title": "Ponte sul torrente Annunziata", "cup": "B41B22000930006"}
    ]
    assert year["groups"][1]["actions"][0]["funding"] == "Fondo Sviluppo e Coesione (FSC)"


def test_the_approved_version_is_printed_once_approved(agenda_2027, team_user):
    from projects.services.agenda import approve_agenda, new_agenda, submit_agenda

    approve_agenda(agenda_2027, act="Delibera n. 12/2027")
    later = new_agenda(team_user, 2027)
    submit_agenda(team_user, later)
    (year,) = agenda_provider("final")["years"]
    assert (year["version"], year["approved"], year["act"]) == (1, True, "Delibera n. 12/2027")


def test_the_fingerprint_moves_with_every_change_and_costs_constant_queries(agenda_2027, office_b, published_a):
    changes = [
        lambda: AgendaAction.objects.filter(position=2).update(budget=Decimal("12.00")),
        lambda: AgendaAction.objects.filter(position=1).update(start_quarter=1),
        lambda: AgendaAction.objects.get(position=3).contributing_offices.add(office_b),
        lambda: AgendaAction.objects.get(position=3).projects.add(published_a),
        lambda: type(published_a).objects.filter(pk=published_a.pk).update(title="Ponte nuovo"),
        lambda: type(office_b).objects.filter(pk=office_b.pk).update(name="Ambiente"),
        lambda: Agenda.objects.update(status=AgendaStatus.APPROVED, approved_at=timezone.now(), approved_by_act="D 1"),
    ]
    for change in changes:
        before = fingerprint("final")
        change()
        assert fingerprint("final") != before
    with CaptureQueriesContext(connection) as few:
        agenda_fingerprint("final")
    AgendaActionFactory.create_batch(30, agenda=AgendaFactory(year=2028), projects=[ProjectFactory()])
    with CaptureQueriesContext(connection) as many:
        agenda_fingerprint("final")
    assert len(many) == len(few)


def test_the_provider_costs_constant_queries(agenda_2027, office_a):
    with CaptureQueriesContext(connection) as few:
        agenda_provider("final")
    later = AgendaFactory(year=2028, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    for _ in range(30):
        action = AgendaActionFactory(
            agenda=later, responsible_office=office_a, projects=[ProjectFactory(), ProjectFactory()]
        )
        action.contributing_offices.set([office_a])
    with CaptureQueriesContext(connection) as many:
        data = agenda_provider("final")
    assert [year["year"] for year in data["years"]] == [2027, 2028]
    # One more query per year only (the year's public version).
    assert len(many) == len(few) + 1


def test_the_final_pdf_prints_the_agenda(agenda_2027, private_media):
    document, created = plan_request(kind="final", user=None, enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        _reader, pages = pdf_text(handle.read())
    text = " ".join(" ".join(pages).split())
    chapter = text[text.rindex("Agenda annuale delle azioni") :]
    assert "Agenda annuale 2027" in chapter and "sottoposta al Consiglio metropolitano" in chapter
    for title in ("Progettazione del ponte", "Pulizia degli argini", "Coordinamento"):
        assert title in chapter
    assert "€ 1.234.567,89" in chapter and "€ 11,40" in chapter and "€ 1.234.579,29" in chapter
    assert "A1.1 Viabilità provinciale" in chapter and "I trimestre 2027" in chapter
    assert chapter.index("A1.1 Viabilità provinciale") < chapter.index("B1.1 Torrenti")
    assert "Viabilità e infrastrutture" in chapter
