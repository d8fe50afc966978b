from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from municipalities.forms import MunicipalitySearchForm
from municipalities.maps import MunicipalityMap
from municipalities.models import Municipality
from municipalities.profile import profile_sections
from psm_portal.lib.csvexport import csv_response


@require_GET
def municipality_list(request):
    form = MunicipalitySearchForm(request.GET)
    # A refused field is left out of cleaned_data: the list falls back to every comune, by name.
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    sort = form.cleaned_data.get("ordina") or "nome"
    municipalities = (
        Municipality.objects.defer("boundary", "svg_path")
        .search(query)
        .order_by(MunicipalitySearchForm.SORTS[sort], "name")
    )
    municipality_map = MunicipalityMap(
        title=_("Mappa dei 108 comuni della Città Metropolitana di Messina"),
        description=_("Ogni comune è un collegamento alla sua pagina. L'elenco completo è nella tabella."),
    )
    return render(
        request,
        "municipalities/list.html",
        {"municipalities": municipalities, "query": query, "sort": sort, "map": municipality_map, "form": form},
    )


@require_GET
def municipality_detail(request, istat_code: str):
    municipality = get_object_or_404(Municipality.objects.defer("boundary"), istat_code=istat_code)
    locator = MunicipalityMap(
        title=_("Posizione di %(name)s nella Città Metropolitana") % {"name": municipality.name},
        description=_("%(name)s è evidenziato in blu; gli altri comuni sono collegamenti alle loro pagine.")
        % {"name": municipality.name},
        fills={municipality.istat_code: "#0066cc"},
    )
    return render(
        request,
        "municipalities/detail.html",
        {"municipality": municipality, "map": locator, "sections": profile_sections(municipality, request.user)},
    )


@require_GET
def opendata_csv(request):
    rows = Municipality.objects.order_by("istat_code").values_list("istat_code", "name", "population", "area_km2")
    return csv_response("comuni.csv", ["istat_code", "name", "population", "area_km2"], rows)
