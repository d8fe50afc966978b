"""What offices report on: their published projects and the actions of the agenda in force for which they are
responsible; and the one place that scopes a project or an action to a user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from projects.models import Agenda, AgendaAction, AgendaStatus, Project


def reportable_projects() -> QuerySet:
    return Project.objects.published()


def reportable_actions() -> QuerySet:
    """Actions of each year's approved agenda or, for a year with none approved yet, of its submitted one."""
    approved_same_year = Agenda.objects.filter(year=OuterRef("agenda__year"), status=AgendaStatus.APPROVED)
    return AgendaAction.objects.filter(
        Q(agenda__status=AgendaStatus.APPROVED)
        | (Q(agenda__status=AgendaStatus.SUBMITTED) & ~Exists(approved_same_year))
    )


def projects_for(user) -> QuerySet:
    """The projects ``user`` may report on: every published one for the team, their office's for office staff."""
    return reportable_projects().editable_by(user)


def actions_for(user) -> QuerySet:
    return reportable_actions().editable_by(user)


def subject_for_user(user, kind: str, pk: int):
    """A project (``kind == "progetto"``) or an action (``"azione"``) the user may report on; 404 otherwise, as for
    a forged id."""
    if kind == "progetto":
        return get_object_or_404(projects_for(user).select_related("office"), pk=pk)
    return get_object_or_404(actions_for(user).select_related("agenda", "responsible_office"), pk=pk)


def office_of(subject):
    return subject.office if isinstance(subject, Project) else subject.responsible_office
