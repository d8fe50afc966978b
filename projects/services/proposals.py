"""Proposals of phase 2: submitted by a mayor or a stakeholder, then accepted as a project, merged into
one, or declined with a reason, once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outcomes.models import Outcome
from outcomes.notices import notice_send
from outcomes.services import outcome_record
from projects.models import ChangeKind, Origin, Project, ProjectChange, Proposal, ProposalState, Status
from projects.services.projects import project_create
from psm_portal.accounts.models import Office
from psm_portal.audit.services import audit_record

logger = logging.getLogger(__name__)


def proposal_submit(*, proposer, title: str, description: str, municipality=None, estimated_cost=None) -> Proposal:
    """A mayor proposes for their own municipality; a stakeholder for the area (or one municipality)."""
    if proposer.is_mayor:
        municipality = proposer.municipality
    return Proposal.objects.create(
        proposer=proposer,
        title=title,
        description=description,
        municipality=municipality,
        estimated_cost=estimated_cost,
    )


def _close(proposal: Proposal, *, actor, state: str, reason: str = "", project: Project | None = None) -> Proposal:
    proposal.state = state
    proposal.reason = reason
    proposal.project = project
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    audit_record(
        actor=actor, action=f"proposal.{state}", obj=proposal, before={"state": "submitted"}, after={"state": state}
    )
    outcome = {ProposalState.ACCEPTED: Outcome.TAKEN, ProposalState.MERGED: Outcome.MERGED}.get(
        state, Outcome.NOT_TAKEN
    )
    outcome_record(actor=actor, input=proposal, outcome=outcome, targets=[project] if project else [], reason=reason)
    _notify_decided(proposal)
    return proposal


def _notify_decided(proposal: Proposal) -> None:
    from projects.tasks import notify_proposal_decided  # projects.tasks imports the services

    def send() -> None:
        try:
            notify_proposal_decided.delay(proposal.pk)
        except Exception:
            # The broker is down: the decision stands and the proposer reads it on the proposal's page.
            logger.exception("The notice of proposal %s could not be enqueued", proposal.pk)

    transaction.on_commit(send, robust=True)


def proposal_decided_notify(*, proposal_id: int) -> int:
    """E-mail the proposer the decision (and the reason) once."""
    proposal = Proposal.objects.select_related("proposer", "project").filter(pk=proposal_id).first()
    if proposal is None or proposal.is_open or not proposal.proposer.is_active:
        return 0
    with translation.override("it"):
        context = {
            "proposal": proposal,
            "state": proposal.get_state_display(),
            "link": settings.SITE_URL + reverse("projects:proposal_detail", args=[proposal.pk]),
        }
        subject = _("Il team PSM ha deciso sulla vostra proposta «%(title)s»") % {"title": proposal.title[:120]}
        body = render_to_string("projects/email/proposal_decided.txt", context)
    return notice_send(
        key=f"proposal.decided:{proposal.pk}", recipients=[proposal.proposer.email], subject=subject, body=body
    )


def _claim(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise ValidationError(_("La proposta è già stata decisa."))
    return proposal


def proposal_accept(*, actor, proposal: Proposal, office: Office, reason: str = "") -> Project:
    """The proposal becomes a draft project (an idea) of ``office``, linked back to the proposal."""
    with transaction.atomic():
        proposal = _claim(proposal)
        project = project_create(
            actor=actor,
            office=office,
            fields={
                "title": proposal.title[:300],
                "summary": proposal.description[:1000],
                "description": proposal.description,
                "status": Status.IDEA,
                "total_cost": proposal.estimated_cost,
                "whole_area": proposal.municipality_id is None,
            },
            municipality_codes=[proposal.municipality_id] if proposal.municipality_id else [],
            funding={},
            origin=Origin.PROPOSAL,
        )
        _close(proposal, actor=actor, state=ProposalState.ACCEPTED, reason=reason, project=project)
    return project


def proposal_merge(*, actor, proposal: Proposal, project: Project, reason: str = "") -> Proposal:
    """The proposal joins an existing project: it is recorded in the project's history."""
    with transaction.atomic():
        proposal = _claim(proposal)
        if proposal.municipality_id:
            project.municipalities.add(proposal.municipality_id)
        Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
        ProjectChange.objects.create(
            project=project,
            actor=actor,
            kind=ChangeKind.MERGED,
            changes={"proposal": [None, proposal.title]},
            note=_("Unita la proposta «%(title)s»") % {"title": proposal.title[:200]},
        )
        return _close(proposal, actor=actor, state=ProposalState.MERGED, reason=reason, project=project)


def proposal_decline(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Declined with a reason that the proposer reads."""
    if not reason.strip():
        raise ValidationError(_("Scrivi la motivazione: il proponente la leggerà."))
    with transaction.atomic():
        proposal = _claim(proposal)
        return _close(proposal, actor=actor, state=ProposalState.DECLINED, reason=reason.strip())
