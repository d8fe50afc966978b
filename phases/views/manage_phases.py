"""Reserved area, PSM team only: the phases closed early or rescheduled, with their audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phases import services
from phases.forms import PhaseDatesForm
from phases.models import Phase
from psm_portal.accounts.permissions import team_required
from psm_portal.audit.models import AuditEvent
from psm_portal.lib.forms import errors_text


@team_required
def manage(request):
    phases = list(Phase.objects.order_by("order"))
    now = timezone.now()
    for phase in phases:
        phase.dates_form = PhaseDatesForm(
            initial={"starts_at": timezone.localtime(phase.starts_at), "ends_at": timezone.localtime(phase.ends_at)},
            prefix=f"fase-{phase.pk}",
        )
        phase.running = phase.is_active(now)
    log = AuditEvent.objects.filter(object_type="phases.phase").select_related("actor")[:30]
    return render(request, "phases/manage.html", {"phases": phases, "log": log})


@team_required
@require_POST
def phase_close(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    try:
        services.phase_close(phase=phase, actor=request.user)
        messages.success(request, _("La fase «%(phase)s» è chiusa.") % {"phase": phase.name})
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("phases:manage")


@team_required
@require_POST
def phase_dates(request, pk: int):
    phase = get_object_or_404(Phase, pk=pk)
    form = PhaseDatesForm(request.POST, prefix=f"fase-{phase.pk}")
    if form.is_valid():
        try:
            services.phase_reschedule(
                phase=phase,
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
            messages.success(request, _("Date della fase «%(phase)s» aggiornate.") % {"phase": phase.name})
        except ValidationError as error:
            messages.error(request, errors_text(error))
    else:
        messages.error(request, _("Date non valide: %(errors)s") % {"errors": errors_text(form)})
    return redirect("phases:manage")
