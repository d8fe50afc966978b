from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from projects.models import Project, Proposal

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_uses_real_cups():
    call_command("seed_demo", stdout=io.StringIO())
    count = Project.objects.count()
    assert count == 75  # the 74 real PNRR CUPs and one idea for the whole area
    assert Project.objects.filter(cup="B41B22000930006", municipalities="083084").exists()
    assert Project.objects.published().count() > 50
    assert Proposal.objects.count() == 2
    call_command("seed_demo", stdout=io.StringIO())
    assert Project.objects.count() == count and Proposal.objects.count() == 2
