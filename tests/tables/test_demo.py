"""The demo data: two tables of phase 2 and the final table, with published minutes, outcomes and a next session."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tables.models import MinutesState, Outcome, Session, TablePhase, WorkingTable

pytestmark = pytest.mark.django_db


def test_demo_tables_with_minutes_outcomes_and_a_next_session(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert WorkingTable.objects.filter(phase=TablePhase.AGENDA).count() == 2
    assert WorkingTable.objects.filter(phase=TablePhase.FINAL).count() == 1
    assert Session.objects.filter(minutes_state=MinutesState.PUBLISHED).count() == 5
    assert Session.objects.upcoming().count() == 3
    assert Session.objects.filter(minutes_state=MinutesState.DRAFT).count() == 1
    assert Outcome.objects.filter(objective__isnull=False).exists()
    assert Outcome.objects.filter(vocation__isnull=False).count() == 1
    assert Outcome.objects.filter(scenario__isnull=False).count() == 1
    vocation = Outcome.objects.get(vocation__isnull=False).vocation
    assert "Emerso dai tavoli di lavoro" in client.get(vocation.get_absolute_url()).content.decode()
    assert "Emerso dai tavoli di lavoro" in client.get(reverse("vocations:scenarios")).content.decode()
    html = client.get(reverse("tables:index")).content.decode()
    assert "Mobilità e collegamenti" in html and "Prossima seduta" in html
    call_command("seed_demo", stdout=io.StringIO())
    assert WorkingTable.objects.count() == 3
