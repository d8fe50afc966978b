"""The public pages of implementation: /attuazione/ (objectives tree, totals, map, milestones) and its open data."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from implementation import opendata
from implementation.forms import ProgressFilterForm
from implementation.models import ReportingCycle
from implementation.rollup import by_municipality, current_reports, objective_tree, timeline, totals
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


@require_GET
def progress_page(request):
    form = ProgressFilterForm(request.GET or None)
    reports = current_reports(form.filters())
    summary = totals(reports)
    by_paid = form.is_bound and form.is_valid() and form.cleaned_data.get("mappa") == "pagato"
    return render(
        request,
        "implementation/progress.html",
        {
            "form": form,
            "summary": summary,
            "tree": objective_tree(reports),
            "map": _map(by_municipality(reports), by_paid),
            "milestones": timeline(reports),
            "cycle": ReportingCycle.objects.started().first(),
        },
    )


@require_GET
def opendata_csv(request):
    return opendata.csv_download()
