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


def test_the_demo_has_the_2027_agenda_submitted_to_the_council(client):
    from projects.models import Agenda, AgendaStatus
    from psm_portal.audit.models import AuditEvent

    call_command("seed_demo", stdout=io.StringIO())
    agenda = Agenda.objects.get(year=2027)
    # Submitted here; the council's demo (plan.demo) approves it once the final plan's PDF is ready.
    assert agenda.status in (AgendaStatus.SUBMITTED, AgendaStatus.APPROVED) and agenda.submitted_at
    assert agenda.actions.count() == 10
    # Every action serves published projects of its own office and a specific objective.
    for action in agenda.actions.prefetch_related("projects"):
        assert action.objective is not None and action.objective.level == 3
        assert {p.office_id for p in action.projects.all()} == {action.responsible_office_id}
    # The demo offices wrote their own actions through the services.
    authors = set(AuditEvent.objects.filter(action="agenda.action_create").values_list("actor__email", flat=True))
    assert {"ufficio.a@demo.psm.local", "ufficio.b@demo.psm.local", "team@demo.psm.local"} <= authors
    call_command("seed_demo", stdout=io.StringIO())
    assert Agenda.objects.count() == 1
    response = client.get(reverse("projects:agenda_year", args=[2027]))
    assert response.status_code == 200 and response.context["summary"]["n"] == 10
