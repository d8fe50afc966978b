"""What the process gives outcomes (registered by ``PhasesConfig.ready``): istanze and positions are inputs, the
objectives are targets; an objective's page lists the inputs that led to it."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outcomes.registry import InputKind, TargetKind, register_input, register_target
from phases.models import Need, Objective, Position
from phases.models.process import REVIEWED
from psm_portal.accounts.models import Role


def _speaks_for(user, municipality_id) -> bool:
    return (
        getattr(user, "role", None) == Role.MAYOR
        and municipality_id is not None
        and user.municipality_id == municipality_id
    )


def _need_text(need: Need) -> str:
    return f"{need.municipality.name}: «{need.title}»"


def _need_url(need: Need, user) -> str:
    if getattr(user, "is_team", False) or _speaks_for(user, need.municipality_id):
        return need.get_absolute_url()
    return ""


def _position_text(position: Position) -> str:
    subject = position.municipality.name if position.municipality_id else position.office.name
    target = position.objective.code if position.objective_id else _("Visione")
    return f"{subject} — {target}: {position.get_stance_display()}"


def _positions_shown_to(queryset, user):
    """A review's positions are public once it is over; before, only to whom reads them in the reserved area."""
    public = Q(version__status__in=REVIEWED)
    if user is None or not user.is_authenticated:
        return queryset.filter(public)
    return queryset.filter(public | Q(pk__in=Position.objects.readable_by(user).values("pk")))


def register() -> None:
    register_input(
        InputKind(
            model="phases.need",
            label=_("Istanza"),
            describe=_need_text,
            queryset=lambda: Need.objects.select_related("municipality"),
            municipality_field="municipality",
            reason_readers=lambda need, user: _speaks_for(user, need.municipality_id),
            url=_need_url,
        )
    )
    register_input(
        InputKind(
            model="phases.position",
            label=_("Posizione"),
            describe=_position_text,
            queryset=lambda: Position.objects.select_related("municipality", "office", "objective"),
            municipality_field="municipality",
            reason_readers=lambda position, user: (
                _speaks_for(user, position.municipality_id)
                or (user.role == Role.OFFICE and user.office_id == position.office_id)
            ),
            shown_to=_positions_shown_to,
        )
    )
    register_target(
        TargetKind(
            model="phases.objective", label=_("Obiettivo"), choices=lambda: Objective.objects.order_by("sort_key")
        )
    )
