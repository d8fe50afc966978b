"""Fixtures of the implementation tests: the final phase open, an objectives tree, projects and an action of
two offices, an open reporting cycle."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from implementation.factories import ReportingCycleFactory
from phases.models import Phase
from phases.phases import PhaseKey
from projects.factories import AgendaActionFactory, ProjectFactory
from projects.models import Agenda, AgendaStatus
from projects.services.agenda import approve_agenda

# Who gets what on a reserved page: a role not named in a table (one added to the cast later) gets no access.
LOGIN = 302
DENIED = 403


def expected(table: dict, name: str) -> int:
    if name == "anonymous":
        return LOGIN
    return table.get(name, DENIED)


@pytest.fixture
def final_phase(db):
    """The clock inside phase 3 (Piano finale), when reporting progress is open."""
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=False):
        yield phase


@pytest.fixture
def tree(db):
    """Axis A with A1 (A1.1, A1.2); axis B with B1 (B1.1)."""
    from phases.factories import ObjectiveFactory

    axis_a = ObjectiveFactory(code="A", order=1, title="Connessioni")
    a1 = ObjectiveFactory(code="A1", parent=axis_a, order=1, title="Strade sicure")
    axis_b = ObjectiveFactory(code="B", order=2, title="Territorio")
    b1 = ObjectiveFactory(code="B1", parent=axis_b, order=1, title="Rischio idrogeologico")
    return {
        "A": axis_a,
        "A1": a1,
        "A1.1": ObjectiveFactory(code="A1.1", parent=a1, order=1, title="Viabilità provinciale"),
        "A1.2": ObjectiveFactory(code="A1.2", parent=a1, order=2, title="Trasporto intercomunale"),
        "B": axis_b,
        "B1": b1,
        "B1.1": ObjectiveFactory(code="B1.1", parent=b1, order=1, title="Torrenti"),
    }


@pytest.fixture
def project_a(office_a, messina, tree):
    return ProjectFactory(
        office=office_a,
        title="Ponte sul torrente Annunziata",
        municipalities=[messina],
        objectives=[tree["A1.1"]],
        funding={"pnrr": Decimal("800000"), "metro_city": Decimal("200000")},
        total_cost=Decimal("1000000"),
        published_at=timezone.now(),
    )


@pytest.fixture
def project_b(office_b, lipari, tree):
    return ProjectFactory(
        office=office_b,
        title="Argini del torrente Santa Margherita",
        municipalities=[lipari],
        objectives=[tree["B1.1"]],
        published_at=timezone.now(),
    )


@pytest.fixture
def action_a(office_a, project_a, tree):
    agenda = Agenda.objects.create(year=2027, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    action = AgendaActionFactory(
        agenda=agenda,
        position=1,
        responsible_office=office_a,
        projects=[project_a],
        objective=tree["A1.2"],
        title="Progettazione esecutiva del ponte",
        funding_source="pnrr",
    )
    # Approved once its actions are in (PostgreSQL refuses new actions in an approved agenda).
    approve_agenda(agenda, act="Delibera n. 1/2027")
    action.refresh_from_db()
    return action


@pytest.fixture
def cycle(db):
    """Open whatever the date (the tests move the clock into the final phase)."""
    return ReportingCycleFactory(title="II trimestre 2027")


def report_data(**changes) -> dict:
    data = {
        "progress": "on_track",
        "percent": 40,
        "note": "Lavori consegnati.",
        "milestones": [{"title": "Consegna dei lavori", "planned_on": timezone.localdate(), "achieved_on": None}],
        "funding": [{"source": "pnrr", "committed": Decimal("300000"), "paid": Decimal("120000")}],
    }
    data.update(changes)
    return data
