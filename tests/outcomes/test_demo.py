"""The demo shows what became of contributions in the demo comuni, both ways."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from outcomes.models import Link, Outcome
from phases.models import Need, Objective
from projects.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_links_inputs_to_what_they_led_to(client):
    call_command("seed_demo", stdout=StringIO())
    kinds = set(Link.objects.values_list("input_type__model", flat=True))
    assert {"need", "position", "question", "proposal"} <= kinds
    need = Need.objects.get(title="Approdo sicuro a Stromboli e Panarea")
    link = Link.objects.for_input(need).get()
    assert (link.outcome, link.target) == (Outcome.TAKEN, Objective.objects.get(code="A2.1"))
    assert "Approdo sicuro a Stromboli" in client.get(reverse("phases:objective", args=["A2.1"])).content.decode()
    proposal = Proposal.objects.get(title="Laboratori università-imprese nei comuni dei Nebrodi")
    assert "Laboratori università-imprese" in client.get(proposal.project.get_absolute_url()).content.decode()
    count = Link.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Link.objects.count() == count
