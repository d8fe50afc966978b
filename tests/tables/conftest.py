"""Fixtures of the working tables' tests: phase 2 open, a table coordinated by office A with Messina, office A and
the stakeholders of ANCE as members (mayor B, office B, council and secretary are outside it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from phases.models import Phase
from phases.phases import PhaseKey
from tables.services import session_save, table_save

LOGIN = 302
DENIED = 403


def expected(table: dict, name: str) -> int:
    if name == "anonymous":
        return LOGIN
    return table.get(name, DENIED)


@pytest.fixture
def agenda_phase(db):
    """The clock inside phase 2 (Agenda strategica), when the tables work."""
    phase = Phase.objects.get(key=PhaseKey.AGENDA)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=False):
        yield phase


@pytest.fixture
def table(team_user, messina, office_a, stakeholder_user):
    return table_save(
        user=team_user,
        title="Mobilità e infrastrutture",
        theme="Collegamenti tra costa, isole ed entroterra",
        description="Il tavolo sulla mobilità.",
        phase="agenda",
        coordinator_office=office_a,
        municipalities=[messina],
        offices=[office_a],
        organisations=["ANCE"],
    )


def schedule(user, table, *, days: float = 3, **extra):
    data = {
        "title": "Prima seduta",
        "starts_at": (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0),
        "duration_minutes": 90,
        "place": "Palazzo dei Leoni, Messina",
        "online_url": "https://meet.example.org/tavolo",
        "agenda": ["Apertura", "Proposte dei comuni"],
    }
    data.update(extra)
    return session_save(user=user, table=table, **data)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits():`` runs what the services enqueue after commit (the invitations) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def session(table, team_user, mayor_a, office_a_user, commits):
    with commits():
        return schedule(team_user, table)


@pytest.fixture
def past_session(table, team_user, mayor_a, office_a_user, commits):
    with commits(), time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        return schedule(team_user, table, title="Seduta passata")
