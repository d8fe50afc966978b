"""The public annual agenda: a year's public version with its filters, the latest year, and the open data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from outcomes.reads import inputs_by_target
from projects.agenda_listing import HEADER, csv_rows, filtered_actions, public_agenda, totals
from projects.forms import AgendaFilterForm
from projects.models import Agenda, AgendaAction
from projects.views.common import paginate
from psm_portal.lib.csvexport import csv_response


@require_GET
def agenda_latest(request):
    """The latest year with a public agenda; until there is one, a page that says so."""
    years = Agenda.objects.public_years()
    if years:
        return redirect("projects:agenda_year", year=years[0])
    return render(request, "projects/agenda_public.html", {"agenda": None, "years": []})


@require_GET
def agenda_year(request, year: int):
    agenda = public_agenda(year)
    if agenda is None:
        raise Http404(_("Nessuna agenda pubblica per il %(year)s.") % {"year": year})
    form = AgendaFilterForm(request.GET or None)
    filters = form.filters()
    actions = filtered_actions(agenda, filters)
    summary = totals(actions)
    page = paginate(request, actions.for_listing().in_order(), count=summary["n"])
    return render(
        request,
        "projects/agenda_public.html",
        {
            "agenda": agenda,
            "form": form,
            "page": page,
            "summary": summary,
            "filtered": bool(filters),
            "years": Agenda.objects.public_years(),
            "inputs": inputs_by_target(AgendaAction, page.object_list, request.user),
        },
    )


@require_GET
def opendata_csv(request):
    return csv_response("agenda.csv", HEADER, csv_rows())
