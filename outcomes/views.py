"""Reserved area: «Cosa è successo alle nostre istanze e proposte», a mayor's view of what became of the
contributions of their comune; and the team's record of what a position, a comment or a question led to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from outcomes.forms import OutcomeForm
from outcomes.reads import for_municipality, outcomes_of
from outcomes.registry import INPUTS
from outcomes.services import outcome_clear, outcome_record
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required, team_required


@role_required(Role.MAYOR)
@require_GET
def mine(request):
    municipality = request.user.municipality
    contributions = for_municipality(municipality, request.user) if municipality else []
    return render(request, "outcomes/mine.html", {"municipality": municipality, "contributions": contributions})


@team_required
@require_http_methods(["GET", "POST"])
def record(request, kind: str, pk: int):
    input_kind = INPUTS.get(kind)
    if input_kind is None:
        raise Http404(_("Contributo sconosciuto."))
    obj = get_object_or_404(input_kind.objects(), pk=pk)
    form = OutcomeForm.for_input(obj, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"]:
                outcome_record(
                    actor=request.user,
                    input=obj,
                    outcome=data["outcome"],
                    targets=data["led_to"],
                    reason=data["reason"],
                )
            else:
                outcome_clear(actor=request.user, input=obj)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Esito del contributo salvato."))
            return redirect(request.path)
    context = {
        "kind": input_kind,
        "obj": obj,
        "text": input_kind.describe(obj),
        "url": input_kind.url(obj, request.user) if input_kind.url else "",
        "outcomes": outcomes_of(obj, request.user),
        "form": form,
    }
    return render(request, "outcomes/record.html", context)
