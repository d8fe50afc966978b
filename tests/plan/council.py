"""Fixtures of the council's act (``tests/plan/conftest.py`` imports them): the final phase, a final version, the
2027 agenda with two actions, projects in and out of the plan, an open examination, an approved one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from phases.models import Phase
from plan.models import PlanKind
from plan.services.council import (
    Votes,
    Window,
    file_amendment,
    open_examination,
    record_admissibility,
    record_amendment_vote,
    record_deliberation,
)
from projects.factories import AgendaActionFactory, AgendaFactory, ProjectFactory
from projects.models import Publication
from tests.files import pdf

VOTES = Votes(present=30, votes_for=20, votes_against=8, abstained=2)


@pytest.fixture
def final_phase(db):
    phase = Phase.objects.get(key="final")
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def final_document(media):
    from tests.plan.conftest import make_document  # the conftest imports this module

    return make_document(kind=PlanKind.FINAL, version=1)


@pytest.fixture
def in_plan(office_a):
    return ProjectFactory(
        office=office_a, title="Ponte sul torrente", total_cost=Decimal("1000000.00"),
        planned_start=date(2027, 3, 1), planned_end=date(2028, 2, 29),
    )  # fmt: skip


@pytest.fixture
def out_of_plan(office_b):
    return ProjectFactory(office=office_b, title="Pista ciclabile", publication=Publication.DRAFT)


@pytest.fixture
def agenda(office_a, in_plan):
    agenda = AgendaFactory(year=2027)
    AgendaActionFactory(
        agenda=agenda, position=1, title="Progettazione", responsible_office=office_a, projects=[in_plan]
    )
    AgendaActionFactory(agenda=agenda, position=2, title="Gara d'appalto", responsible_office=office_a)
    return agenda


@pytest.fixture
def examination(final_phase, team_user, final_document, agenda):
    now = timezone.now()
    return open_examination(
        team_user, final_document, agenda, Window(now - timedelta(hours=1), now + timedelta(days=7))
    )


def amendment_data(**changes) -> dict:
    data = {"target": "section", "section": "vision", "text": "Aggiungere lo Stretto.", "motivation": "Manca."}
    data.update(changes)
    return data


def deliberation_data(**changes) -> dict:
    data = {
        "number": 12, "year": 2027, "date": date(2027, 3, 12), "session": "seduta ordinaria del 12/03/2027",
        "present": 30, "votes_for": 20, "votes_against": 8, "abstained": 2, "outcome": "approved",
    }  # fmt: skip
    data.update(changes)
    return data


def approved_amendment(examination, author, recorder, **changes):
    amendment = file_amendment(author, examination, amendment_data(**changes))
    record_admissibility(recorder, amendment, True)
    return record_amendment_vote(recorder, amendment, VOTES, "approved")


@pytest.fixture
def approved(examination, secretary_user):
    """The examination approved by Delibera n. 12/2027."""
    deliberation = record_deliberation(secretary_user, examination, deliberation_data(), pdf("delibera.pdf"))
    examination.refresh_from_db()
    return deliberation
