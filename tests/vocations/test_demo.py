"""The vocations' demo: six vocations, a closed round answered by most comuni, priorities and two scenarios with
the reference chosen; run twice, nothing doubles."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from vocations.models import Answer, Priority, Round, Scenario, Target, Vocation

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_vocations_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Vocation.objects.count() == 6
    round_ = Round.objects.get()
    assert round_.is_closed
    assert Answer.objects.filter(municipality__isnull=False).count() > 70
    assert Answer.objects.filter(municipality_id="083048", author__email="sindaco.a@demo.psm.local").exists()
    assert Answer.objects.filter(office__isnull=False).exists()
    assert Priority.objects.filter(area__isnull=True).count() == 3
    assert Scenario.objects.count() == 2 and Scenario.objects.get(is_reference=True).slug == "obiettivo"
    assert Target.objects.count() == 6
