from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.models import Project, Proposal
from tests.projects.test_objectives import objective_projects

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_uses_real_cups():
    call_command("seed_demo", stdout=io.StringIO())
    count = Project.objects.count()
    assert count == 75  # the 74 real PNRR CUPs and one idea for the whole area
    assert Project.objects.filter(cup="B41B22000930006", municipalities="083084").exists()
    assert Project.objects.published().count() > 50
    assert Proposal.objects.count() == 2
    links = sorted(Project.objectives.through.objects.values_list("project_id", "objective__code"))
    assert not Project.objects.filter(objectives__isnull=True).exists()  # every demo project serves an objective
    assert {code for _pk, code in links} == {"A1.1", "A1.2", "B1.1", "C1.1", "C2.1", "D1.1"}
    call_command("seed_demo", stdout=io.StringIO())
    assert Project.objects.count() == count and Proposal.objects.count() == 2
    assert sorted(Project.objectives.through.objects.values_list("project_id", "objective__code")) == links


def test_demo_objective_pages_list_the_demo_projects(client):
    call_command("seed_demo", stdout=io.StringIO())
    response = client.get(reverse("phases:objective", args=["A1.1"]))
    published = Project.objects.published().filter(objectives__code="A1.1").count()
    assert published and objective_projects(response).paginator.count == published
