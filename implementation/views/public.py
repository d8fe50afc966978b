"""The public pages of implementation: /attuazione/ (objectives tree, totals, map, milestones) and its open data."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from implementation import opendata
from implementation.forms import ProgressFilterForm
from implementation.models import ReportingCycle
from implementation.rollup import current_reports, objective_tree, page_data
from municipalities.maps import MunicipalityMap, choropleth
from psm_portal.lib.money import format_euro, format_number


def _map(comuni: dict, by_paid: bool) -> MunicipalityMap:
    if by_paid:
        values = {code: float(rollup.paid) for code, rollup in comuni.items()}
        fills, legend = choropleth(values, unit="€", zero_label=_("nessun pagamento rilevato"))
        notes = {code: _("pagati %(amount)s") % {"amount": format_euro(value)} for code, value in values.items()}
        title = _("Importi pagati per comune")
    else:
        values = {code: float(rollup.progress or 0) for code, rollup in comuni.items()}
        fills, legend = choropleth(values, unit="%", zero_label=_("nessun avanzamento rilevato"))
        notes = {
            code: _("avanzamento %(percent)s%%") % {"percent": format_number(rollup.progress or 0, 1)}
            for code, rollup in comuni.items()
        }
        title = _("Avanzamento per comune")
    return MunicipalityMap(
        title=title,
        description=_(
            "Mappa dei comuni colorata secondo le ultime rilevazioni validate dei progetti e delle azioni che li "
            "riguardano, con i filtri scelti. Ogni comune porta alla sua pagina."
        ),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-attuazione",
    )


def _rendered(municipality_map: MunicipalityMap) -> str:
    """The map's SVG, kept under a digest of everything it shows (the 108 paths are the slowest part to render)."""
    digest = hashlib.sha1(
        repr(
            (
                get_language(),
                str(municipality_map.title),
                sorted(municipality_map.fills.items()),
                sorted((k, str(v)) for k, v in municipality_map.notes.items()),
                [(item.colour, str(item.label)) for item in municipality_map.legend],
            )
        ).encode()
    ).hexdigest()
    key = f"implementation:map:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(municipality_map.render())
        cache.set(key, html, timeout=3600)
    return mark_safe(html)  # noqa: S308 - our own template's output


@require_GET
def progress_page(request):
    form = ProgressFilterForm(request.GET or None)
    filters = form.filters()
    data = page_data(filters)
    by_paid = form.is_bound and form.is_valid() and form.cleaned_data.get("mappa") == "pagato"
    return render(
        request,
        "implementation/progress.html",
        {
            "form": form,
            "summary": data["totals"],
            "tree": objective_tree(current_reports(filters), data["sums"]),
            "map": _rendered(_map(data["comuni"], by_paid)),
            "milestones": data["milestones"],
            "cycle": ReportingCycle.objects.started().first(),
        },
    )


@require_GET
def opendata_csv(request):
    return opendata.csv_download()


@require_GET
def opendata_indicators_csv(request):
    return opendata.indicators_csv_download()
