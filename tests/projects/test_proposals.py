"""Proposals, opened in phase 2 by the phase gate: mayors for their municipality, stakeholders for the area."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.factories import ProjectFactory, ProposalFactory
from projects.models import ChangeKind, Origin, Project, Proposal, ProposalState, Publication, Status
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


def test_closed_in_phase_one_with_the_dates(login, mayor_a):
    response = login(mayor_a).get(reverse("projects:proposal_create"))
    assert response.status_code == 403
    assert "si potrà nella fase «Agenda strategica»" in response.content.decode()
    listing = login(mayor_a).get(reverse("projects:proposals")).content.decode()
    assert "Ora non è possibile proporre progetti" in listing


def test_closed_again_in_phase_three(login, stakeholder_user, final_phase):
    response = login(stakeholder_user).post(reverse("projects:proposal_create"), {"title": "x", "description": "y"})
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_mayor_proposes_for_their_own_municipality(login, mayor_a, lipari, agenda_phase):
    response = login(mayor_a).post(
        reverse("projects:proposal_create"),
        {
            "title": "Parcheggio",
            "description": "Vicino alla stazione",
            "municipality": lipari.pk,
            "estimated_cost": "2.500.000",
        },
    )
    proposal = Proposal.objects.get()
    assert response.url == reverse("projects:proposal_detail", args=[proposal.pk])
    assert proposal.municipality_id == "083048"  # Messina, never another municipality
    assert proposal.estimated_cost == Decimal("2500000.00")


def test_stakeholder_proposes_for_the_area(login, stakeholder_user, agenda_phase):
    login(stakeholder_user).post(
        reverse("projects:proposal_create"), {"title": "Laboratori", "description": "Per i Nebrodi"}
    )
    proposal = Proposal.objects.get()
    assert proposal.municipality is None and proposal.area_label == "intera area metropolitana"


def test_missing_fields_give_italian_messages(login, stakeholder_user, agenda_phase):
    response = login(stakeholder_user).post(reverse("projects:proposal_create"), {"title": "", "description": ""})
    assert response.status_code == 200
    assert "Questo campo è obbligatorio." in response.content.decode()
    assert not Proposal.objects.exists()


def test_team_accepts_it_becomes_a_linked_project(login, team_user, mayor_a, messina, office_a):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina, estimated_cost=Decimal("1000"))
    response = login(team_user).post(
        reverse("projects:proposal_detail", args=[proposal.pk]),
        {"decision": "accept", "office": office_a.pk, "conferma": "1"},
    )
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert project.origin == Origin.PROPOSAL and project.status == Status.IDEA
    assert project.publication == Publication.DRAFT and project.office == office_a
    assert list(project.municipalities.all()) == [messina]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and proposal.project == project
    assert list(project.proposals.all()) == [proposal]


def test_team_merges_into_an_existing_project_by_cup(login, team_user, stakeholder_user, office_a):
    project = ProjectFactory(office=office_a, cup="B33C22000020006")
    proposal = ProposalFactory(proposer=stakeholder_user)
    login(team_user).post(
        reverse("projects:proposal_detail", args=[proposal.pk]),
        {"decision": "merge", "project": "b33c22000020006", "reason": "Già previsto", "conferma": "1"},
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.MERGED and proposal.project == project
    assert project.changes.get().kind == ChangeKind.MERGED


def test_merge_into_unknown_project_is_an_error(login, team_user, stakeholder_user):
    proposal = ProposalFactory(proposer=stakeholder_user)
    response = login(team_user).post(
        reverse("projects:proposal_detail", args=[proposal.pk]), {"decision": "merge", "project": "999"}
    )
    assert "Nessun progetto con questo CUP o numero." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_open


def test_decline_needs_a_reason_that_the_proposer_reads(login, team_user, mayor_a, messina):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    url = reverse("projects:proposal_detail", args=[proposal.pk])
    response = login(team_user).post(url, {"decision": "decline", "reason": " "})
    assert "Scrivi la motivazione" in response.content.decode()
    login(team_user).post(url, {"decision": "decline", "reason": "Fuori dal perimetro del piano", "conferma": "1"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECLINED
    html = login(mayor_a).get(url).content.decode()
    assert "Fuori dal perimetro del piano" in html and "non accolta" in html


def test_a_decided_proposal_cannot_be_decided_again(login, team_user, mayor_a, messina, office_a):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    url = reverse("projects:proposal_detail", args=[proposal.pk])
    login(team_user).post(url, {"decision": "decline", "reason": "No", "conferma": "1"})
    response = login(team_user).post(url, {"decision": "accept", "office": office_a.pk, "conferma": "1"})
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_the_proposer_cannot_decide(login, mayor_a, messina, office_a):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    response = login(mayor_a).post(
        reverse("projects:proposal_detail", args=[proposal.pk]), {"decision": "accept", "office": office_a.pk}
    )
    assert response.status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize("size", [2, 25])
def test_proposal_list_query_count(login, team_user, stakeholder_user, django_assert_max_num_queries, size):
    ProposalFactory.create_batch(size, proposer=stakeholder_user)
    client = login(team_user)
    with django_assert_max_num_queries(8):
        client.get(reverse("projects:proposals"))


def test_deciding_a_decided_proposal_is_a_validation_error(team_user, mayor_a, messina):
    from django.core.exceptions import ValidationError

    from projects.services.proposals import proposal_decline

    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    proposal_decline(actor=team_user, proposal=proposal, reason="No")
    with pytest.raises(ValidationError) as refused:
        proposal_decline(actor=team_user, proposal=proposal, reason="Ancora no")
    assert refused.value.messages == ["La proposta è già stata decisa."]
    with pytest.raises(ValidationError) as refused:
        proposal_decline(actor=team_user, proposal=ProposalFactory(proposer=mayor_a), reason=" ")
    assert refused.value.messages == ["Scrivi la motivazione: il proponente la leggerà."]


def test_a_decision_that_comes_second_shows_the_message(login, team_user, mayor_a, messina, monkeypatch):
    """Two members of the team decide at once: the second reads why nothing happened, not a 500."""
    from projects.services.proposals import proposal_decline

    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    url = reverse("projects:proposal_detail", args=[proposal.pk])

    def decided_meanwhile(**kwargs):
        proposal_decline(**{**kwargs, "reason": "Deciso da un collega"})
        return proposal_decline(**kwargs)

    monkeypatch.setattr("projects.views.proposals.proposal_decline", decided_meanwhile)
    response = login(team_user).post(
        url, {"decision": "decline", "reason": "Fuori perimetro", "conferma": "1"}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "La proposta è già stata decisa." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.reason == "Deciso da un collega"


def test_a_decision_is_confirmed_first_and_changes_nothing_before(login, team_user, mayor_a, messina, office_a):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina, title="Pista ciclabile")
    url = reverse("projects:proposal_detail", args=[proposal.pk])
    response = login(team_user).post(url, {"decision": "accept", "office": office_a.pk, "reason": "Utile"})
    html = response.content.decode()
    assert response.status_code == 200 and "Decidere la proposta «Pista ciclabile»?" in html
    assert "Sindaco Messina, che ha proposto" in html and "Viabilità e infrastrutture" in html
    assert 'name="decision" value="accept"' in html and f'name="office" value="{office_a.pk}"' in html
    assert 'name="reason" value="Utile"' in html and 'name="conferma" value="1"' in html
    proposal.refresh_from_db()
    assert proposal.is_open and not Project.objects.exists()
    login(team_user).post(url, {"decision": "accept", "office": office_a.pk, "reason": "Utile", "conferma": "1"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and Project.objects.count() == 1


@pytest.mark.parametrize("who", [w for w in CAST if w != "team_user"])
def test_nobody_else_decides_even_with_the_confirmation(login, cast, mayor_a, messina, office_a, who):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    response = login(cast(who)).post(
        reverse("projects:proposal_detail", args=[proposal.pk]),
        {"decision": "accept", "office": office_a.pk, "conferma": "1"},
    )
    assert response.status_code in (302, 403, 404)
    proposal.refresh_from_db()
    assert proposal.is_open and not Project.objects.exists()
