"""The public pages of projects: the catalogue, a project's page, and the open data (CSV and JSON)."""

from __future__ import annotations

import json

from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from projects import opendata
from projects.catalogue import facets as catalogue_facets
from projects.catalogue import filter_options, listing, published_projects, sort_order
from projects.forms import ProjectFilterForm
from projects.models import Project
from projects.project_page import project_page
from projects.views.common import can_edit, get_project_for_user, paginate


@require_GET
def catalogue(request):
    form = ProjectFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.cleaned_data if form.is_bound else {}
    projects, objective_errors = published_projects(filters)
    sort = sort_order(request.GET.get("ordina"))
    facets = catalogue_facets(projects, params=request.GET, by_amount=filters.get("mappa") == "importo")
    summary = facets["summary"]
    page = paginate(request, listing(projects, sort), count=summary["n"])
    return render(
        request,
        "projects/catalogue.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "totals": facets["totals"],
            "summary": summary,
            "objective_errors": objective_errors,
            "map": facets["map"],
            **filter_options(),
        },
    )


@require_GET
def project_detail(request, pk: int):
    project = get_project_for_user(request, pk)
    editable = can_edit(request.user, project)
    context = {
        "project": project,
        "municipalities": project.municipalities.only("istat_code", "name", "slug"),
        "funding": project.funding_lines.all(),
        "objectives": project.objectives.only("pk", "code", "title", "sort_key"),
        "can_edit": editable,
        "history": _readable_history(project.changes.select_related("actor")[:50]) if editable else [],
        "proposals": project.proposals.all() if editable else [],
        "sections": project_page.collect(project, request.user),
    }
    return render(request, "projects/detail.html", context)


HISTORY_LABELS = {
    "office_id": gettext_lazy("ufficio"),
    "municipalities": gettext_lazy("comuni (codici ISTAT)"),
    "funding": gettext_lazy("finanziamenti per fonte"),
    "objectives": gettext_lazy("obiettivi specifici (codici)"),
    "proposal": gettext_lazy("proposta"),
}


def _readable_history(changes) -> list[dict]:
    """History entries with Italian field names, for the project page."""
    rows = []
    for change in changes:
        fields = []
        for name, (before, after) in change.changes.items():
            try:
                label = HISTORY_LABELS.get(name) or Project._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = name
            fields.append({"label": label, "before": before, "after": after})
        rows.append({"change": change, "fields": fields})
    return rows


@require_GET
def opendata_csv(request):
    return opendata.csv_download()


@require_GET
def opendata_json(request):
    response = HttpResponse(
        json.dumps(opendata.json_document(), ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="progetti.json"'
    return response
