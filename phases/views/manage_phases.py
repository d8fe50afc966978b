"""Reserved area, PSM team only: the phases closed early (and the next one started at once) or rescheduled
(moving the phases they would overlap), each confirmed first, with their audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phases import services
from phases.forms import PhaseDatesForm
from phases.models import Phase
from psm_portal.accounts.permissions import team_required
from psm_portal.audit.models import AuditEvent
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text

START_NEXT = "avvia_successiva"


def _short(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@team_required
def manage(request):
    phases = list(Phase.objects.order_by("order"))
    now = timezone.now()
    for index, phase in enumerate(phases):
        phase.dates_form = PhaseDatesForm(
            initial={"starts_at": timezone.localtime(phase.starts_at), "ends_at": timezone.localtime(phase.ends_at)},
            prefix=f"fase-{phase.pk}",
        )
        phase.running = phase.is_active(now)
        phase.following = phases[index + 1] if index + 1 < len(phases) else None
    log = AuditEvent.objects.filter(object_type="phases.phase").select_related("actor")[:30]
    return render(request, "phases/manage.html", {"phases": phases, "log": log, "start_next": START_NEXT})


@team_required
@require_POST
def phase_close(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    start_next = request.POST.get(START_NEXT) == "1"
    following = services.phase_following(phase) if start_next else None
    if not confirmed(request):
        consequences = [_("La fase «%(phase)s» finisce adesso.") % {"phase": phase.name}]
        if following is not None:
            consequences.append(
                _("La fase «%(phase)s» inizia adesso invece che il %(start)s; finisce come previsto il %(end)s.")
                % {"phase": following.name, "start": _short(following.starts_at), "end": _short(following.ends_at)}
            )
        else:
            consequences.append(_("Nessuna fase sarà in corso fino all'inizio della successiva."))
        consequences.append(
            _("Le attività della fase si chiudono subito per tutti; la modifica resta nel registro degli atti.")
        )
        return confirmation_page(
            request,
            Confirmation(
                title=_("Chiudere ora la fase «%(phase)s»?") % {"phase": phase.name},
                consequences=consequences,
                button=_("Chiudi la fase e avvia la successiva") if following else _("Chiudi la fase"),
                cancel_url=reverse("phases:manage"),
                carried={START_NEXT: "1"} if start_next else {},
            ),
        )
    try:
        running = services.phase_close(phase=phase, actor=request.user, start_next=start_next)
        if running.pk != phase.pk:
            messages.success(
                request,
                _("La fase «%(phase)s» è chiusa ed è iniziata la fase «%(next)s».")
                % {"phase": phase.name, "next": running.name},
            )
        else:
            messages.success(request, _("La fase «%(phase)s» è chiusa.") % {"phase": phase.name})
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("phases:manage")


@team_required
@require_POST
def phase_dates(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    prefix = f"fase-{phase.pk}"
    form = PhaseDatesForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _("Date non valide: %(errors)s") % {"errors": errors_text(form)})
        return redirect("phases:manage")
    starts_at, ends_at = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
    try:
        shifts = services.phase_reschedule_shifts(phase=phase, starts_at=starts_at, ends_at=ends_at)
        if shifts and not confirmed(request):
            return _shifts_confirmation(request, phase, form, shifts)
        services.phase_reschedule(
            phase=phase, actor=request.user, starts_at=starts_at, ends_at=ends_at, shift_others=bool(shifts)
        )
        messages.success(request, _("Date della fase «%(phase)s» aggiornate.") % {"phase": phase.name})
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("phases:manage")


def _shifts_confirmation(request, phase: Phase, form: PhaseDatesForm, shifts):
    consequences = [
        _("La fase «%(phase)s» va dal %(start)s al %(end)s.")
        % {
            "phase": phase.name,
            "start": _short(form.cleaned_data["starts_at"]),
            "end": _short(form.cleaned_data["ends_at"]),
        }
    ]
    consequences += [
        _("La fase «%(phase)s» si sposta: dal %(start)s al %(end)s (prima dal %(old_start)s al %(old_end)s).")
        % {
            "phase": shift.phase.name,
            "start": _short(shift.starts_at),
            "end": _short(shift.ends_at),
            "old_start": _short(shift.phase.starts_at),
            "old_end": _short(shift.phase.ends_at),
        }
        for shift in shifts
    ]
    return confirmation_page(
        request,
        Confirmation(
            title=_("Spostare anche le altre fasi?"),
            consequences=consequences,
            button=_("Sposta le fasi"),
            cancel_url=reverse("phases:manage"),
            carried={name: request.POST[name] for name in (f"{form.prefix}-starts_at", f"{form.prefix}-ends_at")},
            danger=False,
        ),
    )
