"""Reserved area: «Cosa è successo alle nostre istanze e proposte», a mayor's view of what became of the
contributions of their comune."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from outcomes.reads import for_municipality
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required


@role_required(Role.MAYOR)
@require_GET
def mine(request):
    municipality = request.user.municipality
    contributions = for_municipality(municipality, request.user) if municipality else []
    return render(request, "outcomes/mine.html", {"municipality": municipality, "contributions": contributions})
