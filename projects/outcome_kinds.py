"""What the portfolios give outcomes (registered by ``ProjectsConfig.ready``): proposals are inputs (a decision
records what they led to), projects and agenda actions are targets; a project's page lists the inputs that led
to it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outcomes.registry import InputKind, TargetKind, register_input, register_target
from projects.models import Agenda, AgendaAction, Project, Proposal


def _proposal_url(proposal: Proposal, user) -> str:
    if getattr(user, "is_team", False) or (user.is_authenticated and user.pk == proposal.proposer_id):
        return reverse("projects:proposal_detail", args=[proposal.pk])
    return ""


def register() -> None:
    register_input(
        InputKind(
            model="projects.proposal",
            label=_("Proposta"),
            describe=lambda proposal: f"«{proposal.title}» ({proposal.area_label})",
            queryset=lambda: Proposal.objects.select_related("municipality"),
            municipality_field="municipality",
            # A declined proposal's reason is its proposer's only.
            reason_readers=lambda proposal, user: user.pk == proposal.proposer_id,
            url=_proposal_url,
            visible_to=lambda queryset, user: queryset.filter(pk__in=Proposal.objects.visible_to(user).values("pk")),
        )
    )
    register_target(
        TargetKind(
            model="projects.project",
            label=_("Progetto"),
            choices=lambda: Project.objects.order_by("title", "pk"),
            public=lambda: Project.objects.published(),
        )
    )
    register_target(
        TargetKind(
            model="projects.agendaaction",
            label=_("Azione dell'agenda"),
            choices=lambda: AgendaAction.objects.select_related("agenda", "objective").order_by(
                "agenda__year", "position", "pk"
            ),
            public=lambda: AgendaAction.objects.filter(agenda__in=Agenda.objects.approved()).select_related(
                "agenda", "objective"
            ),
        )
    )
