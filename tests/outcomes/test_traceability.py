"""What became of each contribution, both ways: an istanza taken into account in an objective shows on the
objective's page and the objective on the istanza's; a declined proposal's reason reaches its proposer only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from outcomes.models import Link, Outcome
from outcomes.services import outcome_record
from phases.factories import NeedFactory
from phases.models import NeedStatus
from projects.factories import ProjectFactory, ProposalFactory
from projects.services.proposals import proposal_decline, proposal_merge
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from psm_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def review(client, need, **data):
    payload = {"status": "taken", "tags": "", "reply": "Ne terremo conto.", **data}
    return client.post(reverse("phases:need_detail", args=[need.pk]), payload)


def test_an_istanza_taken_into_account_shows_on_the_objective_and_the_objective_on_the_istanza(
    login, client, team_user, mayor_a, messina, tree
):
    need = NeedFactory(municipality=messina, author=mayor_a, title="Strada per Castanea", status=NeedStatus.RECEIVED)
    response = review(login(team_user), need, led_to=[f"phases.objective:{tree['A1.1'].pk}"])
    assert response.status_code == 302
    link = Link.objects.get()
    assert (link.input, link.target, link.outcome, link.decided_by) == (need, tree["A1.1"], Outcome.TAKEN, team_user)
    assert AuditEvent.objects.filter(action="outcome.record", object_id=str(need.pk)).exists()

    objective_page = login(None).get(reverse("phases:objective", args=["A1.1"])).content.decode()
    assert "I contributi che vi hanno portato" in objective_page and "Strada per Castanea" in objective_page
    # The istanza's page is reserved: the public objective page names it without a link to it.
    assert need.get_absolute_url() not in objective_page

    need_page = login(mayor_a).get(need.get_absolute_url()).content.decode()
    assert tree["A1.1"].get_absolute_url() in need_page and "Presa in considerazione in obiettivo" in need_page


def test_the_mayor_is_told_once_per_reply(login, team_user, mayor_a, messina, tree, django_capture_on_commit_callbacks):
    need = NeedFactory(municipality=messina, author=mayor_a, status=NeedStatus.RECEIVED)
    client = login(team_user)
    with django_capture_on_commit_callbacks(execute=True):
        review(client, need, led_to=[f"phases.objective:{tree['A1'].pk}"])
    assert [m.to for m in mail.outbox] == [[mayor_a.email]]
    assert "Ne terremo conto." in mail.outbox[0].body and need.get_absolute_url() in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        review(client, need, tags="porti", led_to=[f"phases.objective:{tree['A1'].pk}"])  # same reply: no e-mail
    assert len(mail.outbox) == 1
    from phases.tasks import notify_need_answered

    assert notify_need_answered.delay(need.pk).get() == 0  # the task delivered twice sends nothing more
    assert len(mail.outbox) == 1


def test_not_taken_records_the_reason_and_forgets_the_targets(login, team_user, mayor_a, messina, tree):
    need = NeedFactory(municipality=messina, status=NeedStatus.RECEIVED)
    client = login(team_user)
    review(client, need, led_to=[f"phases.objective:{tree['A1'].pk}"])
    review(client, need, status="not_taken", reply="Non è di competenza del piano.")
    link = Link.objects.get()
    assert (link.outcome, link.target, link.reason) == (Outcome.NOT_TAKEN, None, "Non è di competenza del piano.")
    assert "I contributi che vi hanno portato" not in login(None).get(tree["A1"].get_absolute_url()).content.decode()
    review(login(team_user), need, status="received", reply="Non è di competenza del piano.")
    assert not Link.objects.exists()


def test_a_forged_or_misplaced_target_is_refused_and_nothing_saved(login, team_user, messina, tree):
    need = NeedFactory(municipality=messina, status=NeedStatus.RECEIVED, reply="")
    client = login(team_user)
    response = review(client, need, led_to=["phases.objective:999999"])
    assert response.status_code == 200 and response.context["form"].errors["led_to"]
    response = review(client, need, led_to=["auth.user:1"])
    assert response.status_code == 200 and response.context["form"].errors["led_to"]
    response = review(client, need, status="not_taken", led_to=[f"phases.objective:{tree['A1'].pk}"])
    assert "solo se l'esito è «presa in considerazione»" in response.context["form"].errors["led_to"][0]
    need.refresh_from_db()
    assert need.status == NeedStatus.RECEIVED and not Link.objects.exists()


def test_the_service_refuses_what_cannot_be_linked(team_user, messina, tree):
    need = NeedFactory(municipality=messina)
    with pytest.raises(ValidationError, match="Indica in quali obiettivi"):
        outcome_record(actor=team_user, input=need, outcome=Outcome.TAKEN, targets=[])
    with pytest.raises(ValidationError, match="solo a un obiettivo"):
        outcome_record(actor=team_user, input=need, outcome=Outcome.TAKEN, targets=[messina])
    with pytest.raises(ValidationError, match="non può avere un esito"):
        outcome_record(actor=team_user, input=tree["A1"], outcome=Outcome.NOT_TAKEN)
    assert not Link.objects.exists()


def test_a_declined_proposal_shows_its_reason_to_its_proposer_only(
    login, team_user, mayor_a, messina, stakeholder_user
):
    other_mayor = UserFactory(email="vice@messina.test", role=Role.MAYOR, municipality=messina)
    proposal = ProposalFactory(proposer=stakeholder_user, municipality=messina, title="Funivia dello Stretto")
    proposal_decline(actor=team_user, proposal=proposal, reason="Costo fuori scala")
    mine = ProposalFactory(proposer=mayor_a, municipality=messina, title="Pista ciclabile")
    proposal_decline(actor=team_user, proposal=mine, reason="Già finanziata dal comune")

    page = login(mayor_a).get(reverse("outcomes:mine")).content.decode()
    assert "Pista ciclabile" in page and "Già finanziata dal comune" in page
    assert "Funivia dello Stretto" not in page and "Costo fuori scala" not in page
    page = login(other_mayor).get(reverse("outcomes:mine")).content.decode()
    assert "Già finanziata dal comune" not in page and "Costo fuori scala" not in page
    detail = reverse("projects:proposal_detail", args=[proposal.pk])
    assert "Costo fuori scala" in login(stakeholder_user).get(detail).content.decode()
    assert login(mayor_a).get(detail).status_code == 404
    public = login(None).get(messina.get_absolute_url()).content.decode()
    assert "Cosa è successo ai contributi del comune" in public
    assert "Costo fuori scala" not in public and "Già finanziata" not in public


def test_a_proposal_merged_into_a_published_project_shows_on_its_page(login, team_user, mayor_a, messina, office_a):
    project = ProjectFactory(office=office_a, title="Lungomare")
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina, title="Passeggiata a mare")
    proposal_merge(actor=team_user, proposal=proposal, project=project, reason="Stesso tratto di costa")
    link = Link.objects.get()
    assert (link.outcome, link.target) == (Outcome.MERGED, project)
    page = login(None).get(project.get_absolute_url()).content.decode()
    assert "Passeggiata a mare" in page and "confluita qui" in page
    assert reverse("projects:proposal_detail", args=[proposal.pk]) not in page
    mine = login(mayor_a).get(reverse("outcomes:mine")).content.decode()
    assert project.get_absolute_url() in mine and "Confluita in progetto" in mine


def test_the_proposer_is_told_of_the_decision_once(team_user, mayor_a, messina, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_decline(actor=team_user, proposal=proposal, reason="Fuori perimetro")
    assert [m.to for m in mail.outbox] == [[mayor_a.email]] and "Fuori perimetro" in mail.outbox[0].body
    from projects.tasks import notify_proposal_decided

    assert notify_proposal_decided.delay(proposal.pk).get() == 0
    assert len(mail.outbox) == 1


def test_the_comune_summary_counts_each_kind_in_one_query(
    team_user, mayor_a, messina, lipari, tree, django_assert_num_queries
):
    from outcomes.reads import municipality_summary

    taken = NeedFactory(municipality=messina)
    outcome_record(actor=team_user, input=taken, outcome=Outcome.TAKEN, targets=[tree["A1"], tree["A2"]])
    declined = NeedFactory(municipality=messina)
    outcome_record(actor=team_user, input=declined, outcome=Outcome.NOT_TAKEN, reason="No")
    NeedFactory(municipality=messina)
    NeedFactory(municipality=lipari)
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    outcome_record(actor=team_user, input=proposal, outcome=Outcome.NOT_TAKEN, reason="No")
    with django_assert_num_queries(1):
        rows = municipality_summary(messina)
    assert sorted(rows, key=lambda row: row["label"]) == [
        {"label": "Istanza", "sent": 3, "taken": 1, "not_taken": 1},
        {"label": "Proposta", "sent": 1, "taken": 0, "not_taken": 1},
    ]
