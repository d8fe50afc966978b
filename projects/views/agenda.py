"""The reserved area of the annual agenda: the team creates a year's version, orders and submits it; offices
draft the actions of their own projects on a draft version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects.forms import AgendaActionForm, NewAgendaForm
from projects.models import Agenda, AgendaAction
from projects.services.agenda import delete_action, new_agenda, reorder, save_action, submit_agenda
from projects.views.common import attach_errors
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from psm_portal.lib.params import as_int


def _team_only(user) -> None:
    if not user.is_team:
        raise PermissionDenied(_("Solo il team PSM compone e sottopone l'agenda."))


def _own_actions(user):
    """The actions ``user`` may handle: all for the team, their office's for office staff."""
    return AgendaAction.objects.editable_by(user)


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def agenda_list(request):
    own = _own_actions(request.user)
    agendas = Agenda.objects.annotate(
        action_count=Count("actions", distinct=True),
        own_count=Count("actions", filter=Q(actions__in=own.values("pk")), distinct=True),
        budget=Sum("actions__budget"),
    ).order_by("-year", "-version")
    if not request.user.is_team:
        agendas = agendas.filter(status__in=["draft", "submitted", "approved"])
    return render(
        request,
        "projects/agenda_list.html",
        {"agendas": agendas, "form": NewAgendaForm(), "gate": gate(Feature.DRAFT_AGENDA)},
    )


@phase_required(Feature.DRAFT_AGENDA)
@require_POST
def agenda_create(request):
    _team_only(request.user)
    form = NewAgendaForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("projects:agenda_list")
    try:
        agenda = new_agenda(request.user, form.cleaned_data["year"])
    except ValidationError as error:
        messages.error(request, errors_text(error))
        return redirect("projects:agenda_list")
    messages.success(request, _("Nuova bozza: %(agenda)s.") % {"agenda": agenda})
    return redirect(agenda)


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def agenda_detail(request, pk: int):
    agenda = get_object_or_404(Agenda, pk=pk)
    actions = list(_own_actions(request.user).filter(agenda=agenda).for_listing().in_order())
    return render(
        request,
        "projects/agenda_detail.html",
        {
            "agenda": agenda,
            "actions": actions,
            "budget": sum(action.budget for action in actions),
            "gate": gate(Feature.DRAFT_AGENDA),
        },
    )


def _draft_or_back(request, agenda: Agenda):
    if agenda.is_draft:
        return None
    messages.error(request, _("L'%(agenda)s non è una bozza: non si modifica più.") % {"agenda": agenda})
    return redirect(agenda)


@phase_required(Feature.DRAFT_AGENDA)
@require_http_methods(["GET", "POST"])
def action_create(request, pk: int):
    agenda = get_object_or_404(Agenda, pk=pk)
    if refused := _draft_or_back(request, agenda):
        return refused
    return _action_form(request, agenda, None)


@phase_required(Feature.DRAFT_AGENDA)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    # Another office's action does not exist for office staff: 404, as for a forged id.
    action = get_object_or_404(_own_actions(request.user).select_related("agenda"), pk=pk)
    if refused := _draft_or_back(request, action.agenda):
        return refused
    return _action_form(request, action.agenda, action)


def _action_form(request, agenda: Agenda, action: AgendaAction | None):
    form = AgendaActionForm(request.POST or None, instance=action, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            save_action(request.user, agenda, form.service_data(), action=action)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Azione salvata nella bozza dell'agenda."))
            return redirect(agenda)
    return render(request, "projects/agenda_action_form.html", {"form": form, "agenda": agenda, "action": action})


@phase_required(Feature.DRAFT_AGENDA)
@require_POST
def action_delete(request, pk: int):
    action = get_object_or_404(_own_actions(request.user).select_related("agenda"), pk=pk)
    agenda = action.agenda
    if refused := _draft_or_back(request, agenda):
        return refused
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Eliminare l'azione «%(title)s»?") % {"title": action.title},
                consequences=[
                    _("L'azione %(code)s esce dalla bozza dell'%(agenda)s; le successive salgono di un posto.")
                    % {"code": action.code, "agenda": agenda},
                    _("L'eliminazione resta nel registro degli atti, con i dati dell'azione."),
                ],
                button=_("Elimina l'azione"),
                cancel_url=agenda.get_absolute_url(),
            ),
        )
    try:
        delete_action(request.user, action)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Azione eliminata."))
    return redirect(agenda)


@phase_required(Feature.DRAFT_AGENDA)
@require_POST
def agenda_reorder(request, pk: int):
    """The order from the positions typed beside each action: an action given the position of another goes
    before it (it was moved there); a blank or bad number keeps the action where it was."""
    _team_only(request.user)
    agenda = get_object_or_404(Agenda, pk=pk)
    current = list(agenda.actions.in_order().values_list("pk", flat=True))
    wanted = {}
    for index, action_id in enumerate(current):
        position = as_int(request.POST.get(f"posizione-{action_id}", ""))
        moved = position is not None and position != index + 1
        wanted[action_id] = (position if moved else index + 1, 0 if moved else 1, index)
    try:
        reorder(request.user, agenda, sorted(current, key=wanted.__getitem__))
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Ordine delle azioni salvato."))
    return redirect(agenda)


@phase_required(Feature.DRAFT_AGENDA)
@require_POST
def agenda_submit(request, pk: int):
    _team_only(request.user)
    agenda = get_object_or_404(Agenda, pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Sottoporre l'%(agenda)s al Consiglio metropolitano?") % {"agenda": agenda},
                consequences=[
                    _("La versione non si potrà più modificare: per cambiarla serve una nuova versione."),
                    _("Diventa pubblica su /agenda/%(year)s/ finché il Consiglio non ne approva una.")
                    % {"year": agenda.year},
                    _("Una versione dello stesso anno sottoposta prima viene sostituita da questa."),
                ],
                button=_("Sottoponi al Consiglio"),
                cancel_url=agenda.get_absolute_url(),
            ),
        )
    try:
        submit_agenda(request.user, agenda)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("%(agenda)s sottoposta al Consiglio metropolitano.") % {"agenda": agenda})
    return redirect(agenda)
