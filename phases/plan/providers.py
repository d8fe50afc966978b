"""Where each section of the plan documents gets its data: one provider per section, registered here.

A provider is ``provider(kind: str) -> dict`` (``kind`` is ``"draft"`` or ``"final"``). It returns
JSON-serialisable data that is frozen into the document's snapshot, or
``{"available": False, "note": "..."}`` when its part of the portal has nothing to give yet.
A section whose provider is absent from ``PLAN_PROVIDERS`` is printed marked «non ancora disponibile».
``settings.PSM_PLAN_PROVIDERS`` (a dict of the same shape) overrides single entries.

Each provider may have a fingerprint in ``PLAN_FINGERPRINTS`` (``fingerprint(kind) -> str``, see
``phases.plan.fingerprints``): a cheap hash that changes whenever the provider's output may. A web
request compares fingerprints only; a section whose provider has none (or is overridden in settings
without one in ``settings.PSM_PLAN_FINGERPRINTS``) is fingerprinted by its provider's whole output.

Dates are ISO strings (``"2027-03-31"``), money a decimal string (``"1250000.00"``). Shapes:

``plan``           {"title", "years", "authority"}
``phases``         {"items": [{"key", "order", "name", "description", "starts_on", "ends_on"}]}
``vision``         {"title", "html" (sanitised HTML), "version" (int), "approved_on" (optional)}
``objectives``     {"items": [node]}, a tree; node =
                   {"code": "A1.2", "level": 1|2|3, "title", "description",
                    "indicators": [{"name", "unit", "baseline", "target", "year"}],
                    "children": [node],
                    "projects": [{"title", "cup", "cost", "funding": [{"source", "amount"}],
                                  "municipalities": [municipality names], "status"}]}
                   Projects hang on specific objectives (level 3).
``questionnaire``  {"title", "responses" (int),
                    "questions": [{"number", **surveys.results.chart_data(result)}],
                    "by_municipality": {istat_code: responses}}; chart data =
                   {"chart": "bars"|"likert"|"ranking", "id", "title", "description", "respondents",
                    "height", "drawn", "rows": [{"label", "count", "percent", "width", "y", "extra"}]}
                   or {"chart": "number", "id", "title", "respondents", "average", "minimum", "maximum"}
``municipalities`` {"items": [{"istat_code", "name", "population", "area_km2", "is_capital", "svg_path"}]},
                   in name order; ``svg_path`` is the comune's shape on the maps (the ``d`` of an SVG path
                   in ``municipalities.maps.VIEWBOX``), frozen here so the maps print what was frozen
``needs``          {"by_municipality": {istat_code: istanze sent}}
``council``        {"number", "date", "votes_for", "votes_against", "abstentions", "summary"}   (final only)
``agenda``         {"year", "actions": [{"title", "objective", "office", "due", "status"}]}    (final only)
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# Every section a document may hold, in print order; ``FINAL_ONLY`` ones only in the final plan.
SECTIONS = ["plan", "phases", "vision", "objectives", "questionnaire", "municipalities", "needs", "council", "agenda"]
FINAL_ONLY = {"council", "agenda"}

PLAN_PROVIDERS: dict[str, str] = {
    "plan": "phases.plan.providers.plan_provider",
    "phases": "phases.plan.providers.phases_provider",
    "vision": "phases.plan.sources.vision_provider",
    "objectives": "phases.plan.sources.objectives_provider",
    "questionnaire": "phases.plan.sources.questionnaire_provider",
    "municipalities": "phases.plan.providers.municipalities_provider",
    "needs": "phases.plan.sources.needs_provider",
    # To be plugged in as their modules arrive (see the shapes above): "council", "agenda".
}


PLAN_FINGERPRINTS: dict[str, str] = {
    "phases": "phases.plan.fingerprints.phases",
    "vision": "phases.plan.fingerprints.vision",
    "objectives": "phases.plan.fingerprints.objectives",
    "questionnaire": "phases.plan.fingerprints.questionnaire",
    "municipalities": "phases.plan.fingerprints.municipalities",
    "needs": "phases.plan.fingerprints.needs",
}


def sections_for(kind: str) -> list[str]:
    return [key for key in SECTIONS if kind == "final" or key not in FINAL_ONLY]


def providers() -> dict[str, str]:
    return {**PLAN_PROVIDERS, **getattr(settings, "PSM_PLAN_PROVIDERS", {})}


def fingerprint_paths() -> dict[str, str]:
    """The fingerprint of each section, for the provider that will actually be used."""
    overridden = getattr(settings, "PSM_PLAN_PROVIDERS", {})
    paths = {key: path for key, path in PLAN_FINGERPRINTS.items() if key not in overridden}
    return {**paths, **getattr(settings, "PSM_PLAN_FINGERPRINTS", {})}


def fingerprint(kind: str) -> str:
    """A hash of everything a document of this kind would be made from now, without building it."""
    registered = providers()
    prints = fingerprint_paths()
    parts: dict[str, str] = {"language": "it"}
    for key in sections_for(kind):
        path = registered.get(key)
        if not path:
            parts[key] = ""
        elif key in prints:
            parts[key] = import_string(prints[key])(kind)
        else:
            from phases.plan.document import canonical_json

            parts[key] = hashlib.sha256(canonical_json(import_string(path)(kind) or {}).encode()).hexdigest()
    return hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()


def unavailable(note: str = "") -> dict:
    return {"available": False, "note": note or _("Questa parte del piano non è ancora disponibile nel portale.")}


def collect(kind: str) -> dict[str, dict]:
    """Ask every registered provider for its section; absent ones are marked unavailable."""
    registered = providers()
    result: dict[str, dict] = {}
    for key in sections_for(kind):
        path = registered.get(key)
        if not path:
            result[key] = unavailable()
            continue
        data = dict(import_string(path)(kind) or {})
        data.setdefault("available", True)
        result[key] = data
    return result


# --- The providers for what exists today ------------------------------------------------------------------


def plan_provider(kind: str) -> dict:
    return {
        "title": settings.PSM_PLAN_TITLE,
        "years": settings.PSM_PLAN_YEARS,
        "authority": "Città Metropolitana di Messina",
    }


def phases_provider(kind: str) -> dict:
    from phases.models import Phase

    items = [
        {
            "key": phase.key,
            "order": phase.order,
            "name": str(phase.name),
            "description": phase.description,
            "starts_on": timezone.localtime(phase.starts_at).date().isoformat(),
            "ends_on": timezone.localtime(phase.ends_at).date().isoformat(),
        }
        for phase in Phase.objects.order_by("order")
    ]
    return {"items": items}


def municipalities_provider(kind: str) -> dict:
    from municipalities.models import Municipality

    rows = (
        Municipality.objects.order_by("name")
        .values_list("istat_code", "name", "population", "area_km2", "is_capital", "svg_path")
        .iterator()
    )
    return {
        "items": [
            {
                "istat_code": code,
                "name": name,
                "population": population,
                "area_km2": str(area),
                "is_capital": capital,
                "svg_path": path,
            }
            for code, name, population, area, capital, path in rows
        ]
    }
