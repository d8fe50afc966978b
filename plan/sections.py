"""The sections of the plan documents, in print order, and where each gets its data.

Each part of the portal gives the data it owns through its ``plan_section.py`` (a provider and a
fingerprint per section); this list only orders them. A later part (the council, the annual agenda,
the working tables) plugs in by adding its module's functions here.

A provider is ``provider(kind: str) -> dict`` (``kind`` is ``"draft"``, ``"final"`` or ``"annual"``). It returns
JSON-serialisable data that is frozen into the document's snapshot, or
``{"available": False, "note": "..."}`` when its part of the portal has nothing to give yet.
A section with no provider is printed marked «non ancora disponibile».
``settings.PSM_PLAN_PROVIDERS`` (a dict of the same shape) overrides single entries.

Each provider may have a fingerprint (``fingerprint(kind) -> str``, see
``psm_portal.lib.plan_data``): a cheap hash that changes whenever the provider's output may. A web
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
``contributions``  {"targets": [{"kind", "title", "inputs": [{"kind", "text", "outcome", "reason"}]}]}: under each
                   public objective, project and action the contributions that led to it (``outcomes.plan_section``)
``vocations``      {"areas": [{"code", "name", "colour", "municipalities": [names]}], "round" (title of the latest
                    closed round, or ""), "closed_on", "priorities": [{"area" ("" = the territory), "vocation",
                    "rationale"}], "items": [{"slug", "name", "description", and once a round is closed "answers",
                    "average", "priorities", "scores": {istat_code: 1–5}, "areas": [{"name", "answers", "average",
                    "priorities", "rank"}]}]}
``scenarios``      {"items": [{"title", "narrative", "assumptions", "reference" (bool), "vocations": [names]}],
                    "indicators": [{"code", "name", "unit", "baseline", "year", "values": [one per scenario]}]}
``tables``         {"items": [{"title", "theme", "phase", "coordinator", "members": [organisation labels],
                    "sessions": [{"date", "title", "people", "organisations": [labels], "minutes" (bool)}],
                    "outcomes": [{"title", "objective", "proposal", "project"}]}],
                    "participation": [{"istat_code", "name", "sessions"}]}, the working tables (``tables``)
``council``        (final only) the approving deliberation in force, ``plan.council_section``:
                   {"label": "Delibera n. 12/2027", "number", "year", "date", "session", "present", "votes_for",
                    "votes_against", "abstained", "outcome", "corrects" (label of the act it corrects, or ""),
                    "agenda" (the annual agenda it approved, "Agenda annuale 2027, versione 2", or ""),
                    "document": {"kind", "version", "sha256"} (the version it approved),
                    "projects": [{"cup", "title", "amount", "year"}] (as the deliberation froze them),
                    "amendments": [{"number", "target", "subject", "text", "amount", "year", "state", "outcome",
                                    "present", "votes_for", "votes_against", "abstained"}]}
``agenda``         {"years": [{"year", "version", "title", "approved" (bool), "status", "act", "approved_on",
                    "submitted_on", "count", "budget",
                    "groups": [{"code", "title", "actions": [{"code", "title", "description", "office",
                                "contributing": [office names], "start_quarter", "due_quarter", "quarters",
                                "budget", "funding", "output", "indicator", "status",
                                "projects": [{"title", "cup"}]}]}]}]}                   (final only)
                   Each year's public agenda (approved, or else the one submitted to the council), its actions
                   grouped by specific objective in the tree's order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from plan.document import canonical_json
from psm_portal.lib.plan_data import unavailable


@dataclass(frozen=True)
class Section:
    key: str
    provider: str = ""  # dotted path of ``provider(kind) -> dict``; empty: not in the portal yet
    fingerprint: str = ""  # dotted path of ``fingerprint(kind) -> str``; empty: the provider's output is hashed
    final_only: bool = False
    # The kinds of document the section is printed in; the annual implementation report has its own sections.
    kinds: tuple[str, ...] = ("draft", "final")


SECTIONS = [
    Section("plan", "plan.sections.plan_provider", kinds=("draft", "final", "annual")),
    Section("phases", "phases.plan_section.phases_provider", "phases.plan_section.phases_fingerprint"),
    Section("vision", "phases.plan_section.vision_provider", "phases.plan_section.vision_fingerprint"),
    Section("objectives", "projects.plan_section.objectives_provider", "projects.plan_section.objectives_fingerprint"),
    Section(
        "questionnaire", "surveys.plan_section.questionnaire_provider", "surveys.plan_section.questionnaire_fingerprint"
    ),
    Section(
        "municipalities",
        "municipalities.plan_section.municipalities_provider",
        "municipalities.plan_section.municipalities_fingerprint",
    ),
    Section("needs", "phases.plan_section.needs_provider", "phases.plan_section.needs_fingerprint"),
    Section("vocations", "vocations.plan_section.vocations_provider", "vocations.plan_section.vocations_fingerprint"),
    Section("scenarios", "vocations.plan_section.scenarios_provider", "vocations.plan_section.scenarios_fingerprint"),
    Section(
        "contributions",
        "outcomes.plan_section.contributions_provider",
        "outcomes.plan_section.contributions_fingerprint",
    ),
    Section("tables", "tables.plan_section.tables_provider", "tables.plan_section.tables_fingerprint"),
    Section(
        "council", "plan.council_section.council_provider", "plan.council_section.council_fingerprint", final_only=True
    ),
    Section(
        "agenda",
        "projects.plan_section.agenda_provider",
        "projects.plan_section.agenda_fingerprint",
        final_only=True,
    ),
    # The annual implementation report ("Relazione annuale di attuazione"): the roll-up, the year's milestones,
    # indicator values and validated reports, from ``implementation.plan_section``.
    Section(
        "implementation",
        "implementation.plan_section.annual_provider",
        "implementation.plan_section.annual_fingerprint",
        kinds=("annual",),
    ),
]
PLAN_PROVIDERS: dict[str, str] = {section.key: section.provider for section in SECTIONS if section.provider}
PLAN_FINGERPRINTS: dict[str, str] = {section.key: section.fingerprint for section in SECTIONS if section.fingerprint}


def sections_for(kind: str) -> list[str]:
    return [
        section.key for section in SECTIONS if kind in section.kinds and (kind == "final" or not section.final_only)
    ]


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
            parts[key] = hashlib.sha256(canonical_json(import_string(path)(kind) or {}).encode()).hexdigest()
    return hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()


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


def plan_provider(kind: str) -> dict:
    return {
        "title": settings.PSM_PLAN_TITLE,
        "years": settings.PSM_PLAN_YEARS,
        "authority": "Città Metropolitana di Messina",
    }
