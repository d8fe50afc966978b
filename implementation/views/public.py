"""The public pages of implementation: /attuazione/ (objectives tree, totals, map, milestones) and its open data."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from implementation import opendata
from implementation.forms import ProgressFilterForm
from implementation.models import ReportingCycle
from implementation.rollup import current_reports, objective_tree, page_data, page_key
from municipalities.maps import MunicipalityMap, choropleth
from municipalities.models import Municipality
from psm_portal.accounts.models import Office
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


def _fragments(filters: dict, by_paid: bool) -> dict:
    """The page's heavy parts (the tree's progress bars, the map, the milestones) rendered once per state of the
    data, filters and language, and kept under the roll-up's key: a visit then costs the fingerprint's query and
    the filter form, not the rendering (which took most of the page's time over 5,000 projects)."""
    page = page_key(filters)
    key = f"implementation:fragments:{page}:{int(by_paid)}:{get_language()}"
    fragments = cache.get(key)
    if fragments is None:
        data = page_data(filters, key=page)
        context = {
            "summary": data["totals"],
            "tree": objective_tree(current_reports(filters), data["sums"]),
            "milestones": data["milestones"],
        }
        fragments = {
            "tree": render_to_string("implementation/_progress_tree.html", context),
            "map": str(_rendered(_map(data["comuni"], by_paid))),
            "milestones": render_to_string("implementation/_progress_milestones.html", context),
        }
        cache.set(key, fragments, timeout=settings.IMPLEMENTATION_CACHE_SECONDS)
    return {name: mark_safe(html) for name, html in fragments.items()}  # noqa: S308 - our own templates' output


@require_GET
def progress_page(request):
    form = ProgressFilterForm(request.GET or None)
    filters = form.filters()
    by_paid = form.is_bound and form.is_valid() and form.cleaned_data.get("mappa") == "pagato"
    return render(
        request,
        "implementation/progress.html",
        {
            "form": form,
            "fragments": _fragments(filters, by_paid),
            # The chosen values, read once (not once per option of the hand-written selects).
            "chosen": {name: str(form[name].value() or "") for name in form.fields},
            "cycle": ReportingCycle.objects.started().first(),
            "offices": Office.objects.only("pk", "name").order_by("name"),
            "municipality_options": Municipality.objects.order_by("name").values_list("istat_code", "name"),
        },
    )


@require_GET
def opendata_csv(request):
    return opendata.csv_download()


@require_GET
def opendata_indicators_csv(request):
    return opendata.indicators_csv_download()
