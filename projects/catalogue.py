"""The public catalogue's reads: the filter form's choices as a queryset of published projects, the sort
orders, the facets of the filtered set (count, totals and the map of the comuni, cached under a fingerprint of
the projects table) and the options of the filter form."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipalities.maps import MunicipalityMap, choropleth
from municipalities.models import Municipality
from projects.models import Project, ProjectQuerySet
from projects.objectives import resolve_objective_codes, specific_objectives, split_codes
from psm_portal.accounts.models import Office
from psm_portal.lib.money import format_euro

MAP_CACHE_VERSION = 1  # bump when the municipalities' shapes or the map template change
# Projects without a cost or a date go last whichever the direction, on SQLite and PostgreSQL alike.
SORTS = {
    "titolo": ("title", "pk"),
    "-titolo": ("-title", "-pk"),
    "costo": (F("total_cost").asc(nulls_last=True), "pk"),
    "-costo": (F("total_cost").desc(nulls_last=True), "-pk"),
    "inizio": (F("planned_start").asc(nulls_last=True), "pk"),
    "-inizio": (F("planned_start").desc(nulls_last=True), "-pk"),
    "aggiornato": ("updated_at", "pk"),
    "-aggiornato": ("-updated_at", "-pk"),
}
DEFAULT_SORT = "titolo"


def sort_order(value: str | None) -> str:
    """The sort asked for, or the default one for a value the catalogue does not know."""
    return value if value in SORTS else DEFAULT_SORT


def listing(projects: ProjectQuerySet, sort: str) -> ProjectQuerySet:
    """The page's rows: with their office and comuni, in the chosen order."""
    return projects.for_listing().order_by(*SORTS[sort])


def published_projects(filters: Mapping) -> tuple[ProjectQuerySet, list[str]]:
    """The published projects that pass the filter form's cleaned ``filters``, and one Italian error per
    objective code that names no specific objective."""
    queryset = Project.objects.published()
    objective_errors: list[str] = []
    if filters.get("q"):
        queryset = queryset.search(filters["q"])
    if filters.get("ufficio"):
        queryset = queryset.of_office(filters["ufficio"])
    if filters.get("comune"):
        queryset = queryset.for_municipality(filters["comune"])
    if filters.get("stato"):
        queryset = queryset.filter(status=filters["stato"])
    if filters.get("fonte"):
        queryset = queryset.funded_by(filters["fonte"])
    if filters.get("costo_min") is not None:
        queryset = queryset.filter(total_cost__gte=filters["costo_min"])
    if filters.get("costo_max") is not None:
        queryset = queryset.filter(total_cost__lte=filters["costo_max"])
    if filters.get("obiettivo"):
        objectives, objective_errors = resolve_objective_codes(split_codes(filters["obiettivo"]))
        queryset = queryset.serving(objectives)
    return queryset, objective_errors


def facets(projects: ProjectQuerySet, *, params: Mapping[str, str], by_amount: bool) -> dict:
    """Count, totals and map of the filtered set: three aggregates over every published project, cached
    under the filters and a fingerprint of the projects table (one cheap query), so any change shows at once."""
    fingerprint = Project.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    key_params = sorted((k, v) for k, v in params.items() if k not in ("pagina", "ordina"))
    digest = hashlib.sha1(repr((fingerprint, key_params, by_amount, get_language())).encode()).hexdigest()
    key = f"projects:catalogue-facets:{digest}"
    facets = cache.get(key)
    if facets is None:
        summary = projects.aggregate(
            n=Count("pk"), cost=Sum("total_cost"), whole_area=Count("pk", filter=Q(whole_area=True))
        )
        facets = {
            "summary": summary,
            "totals": {
                "cost": summary["cost"] or Decimal("0"),
                "funding": projects.funding_total() if summary["n"] else Decimal("0"),
            },
            "map": _map(projects, by_amount),
        }
        cache.set(key, facets, timeout=600)
    return facets


def _map(queryset, by_amount: bool) -> str:
    """The map of the comuni coloured by the number (or the cost) of the projects of ``queryset``."""
    through = Project.municipalities.through
    rows = (
        through.objects.filter(project__in=queryset.values("pk"))
        .values("municipality_id")
        .annotate(n=Count("project_id"), amount=Sum("project__total_cost"))
    )
    counts = {row["municipality_id"]: row["n"] for row in rows}
    amounts = {row["municipality_id"]: float(row["amount"] or 0) for row in rows}
    if by_amount:
        fills, legend = choropleth(amounts, unit="€", zero_label=_("nessun progetto"))
        notes = {code: format_euro(value) for code, value in amounts.items()}
        title = _("Costo dei progetti per comune")
    else:
        fills, legend = choropleth(counts, zero_label=_("nessun progetto"))
        notes = {code: _("%(n)s progetti") % {"n": n} if n != 1 else _("1 progetto") for code, n in counts.items()}
        title = _("Numero di progetti per comune")
    municipality_map = MunicipalityMap(
        title=title,
        description=_(
            "Mappa dei comuni colorata secondo i progetti che li riguardano, con i filtri scelti; "
            "i progetti sull'intera area metropolitana non sono contati. Ogni comune porta alla sua pagina."
        ),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-progetti",
    )
    return _rendered(municipality_map)


def _rendered(municipality_map: MunicipalityMap) -> str:
    """The map's SVG, cached under a digest of everything it shows: the same colours give the same markup,
    and the 108 paths are the slowest fragment of the page to render."""
    digest = hashlib.sha1(
        repr(
            (
                MAP_CACHE_VERSION,
                get_language(),
                str(municipality_map.title),
                str(municipality_map.description),
                sorted(municipality_map.fills.items()),
                sorted((k, str(v)) for k, v in municipality_map.notes.items()),
                [(item.colour, str(item.label)) for item in municipality_map.legend],
            )
        ).encode()
    ).hexdigest()
    key = f"projects:catalogue-map:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(municipality_map.render())
        cache.set(key, html, timeout=3600)
    return mark_safe(html)  # noqa: S308 - our own template's output


def filter_options() -> dict:
    """The choices the filter form lists (offices, comuni, specific objectives)."""
    return {
        "offices": Office.objects.only("pk", "name"),
        "municipality_options": Municipality.objects.order_by("name").values_list("istat_code", "name"),
        "objective_options": specific_objectives().values_list("code", "title"),
    }
