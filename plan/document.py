"""From a frozen snapshot to a PDF: the context, the HTML (Django templates) and WeasyPrint's layout.

Everything here is a pure function of the snapshot, the kind, the version and the
creation date, so two renders of the same document give the same bytes: the PDF
metadata and file identifier come from those inputs, never from the clock. The one exception is the final
plan's optional electronic seal (``plan.seal``), which carries its signing time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from municipalities.maps import LegendItem, MunicipalityMap, choropleth
from plan.seal import seal_configured, seal_pdf
from psm_portal.lib.html import sanitize_html
from surveys.results import participation_map, participation_rates
from vocations import results as vocation_results

TEMPLATE = "plan/pdf/document.html"
# A kind of document with its own outline (the annual implementation report) has its own template.
TEMPLATES = {"annual": "plan/pdf/annual.html"}
STYLESHEET = "plan/print.css"
FONT_DIR = "fonts/Titillium_Web"
FONT_FACES = [  # (weight, style, file) of Titillium Web as shipped by Bootstrap Italia
    (300, "normal", "titillium-web-v10-latin-ext_latin-300.ttf"),
    (400, "normal", "titillium-web-v10-latin-ext_latin-regular.ttf"),
    (400, "italic", "titillium-web-v10-latin-ext_latin-italic.ttf"),
    (600, "normal", "titillium-web-v10-latin-ext_latin-600.ttf"),
    (700, "normal", "titillium-web-v10-latin-ext_latin-700.ttf"),
]
# Archival and accessible: PDF/A-3b (fonts embedded, sRGB output intent, XMP identification) and tagged, with
# the structure tree screen readers follow (WeasyPrint takes one variant per file, so not PDF/UA-1 too).
# Deterministic: the XMP packet of WeasyPrint's PDF/A variants carries no random identifier.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
# WeasyPrint logs every layout step at INFO: keep worker logs for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Test hook: seconds to sleep after each step, so a test can kill a worker mid-render.
STEP_DELAY_ENV = "PSM_PLAN_STEP_DELAY"


def canonical_json(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_hash(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode()).hexdigest()


@dataclass
class Timings:
    """Seconds spent by the portal (context, templates, charts and maps) and by WeasyPrint."""

    portal: float = 0.0
    layout: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.portal + self.layout


@dataclass
class RenderedPlan:
    pdf: bytes
    pages: int
    sha256: str
    timings: Timings


class PlanRenderError(Exception):
    """The data or the templates cannot make a document; the message says why, in Italian."""


# --- Context ------------------------------------------------------------------------------------------------


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        raise PlanRenderError(_("Importo non valido nei dati del piano: %(value)s") % {"value": value})


def _walk(nodes: list[dict], depth: int = 1):
    for node in nodes:
        yield node, depth
        yield from _walk(node.get("children") or [], depth + 1)


class MapShape(NamedTuple):
    """A comune on the maps, as ``MunicipalityMap.render`` reads it, from the frozen snapshot."""

    istat_code: str
    name: str
    svg_path: str


def build_context(snapshot: dict, *, kind: str, version: int, created: datetime) -> dict:
    sections = snapshot["sections"]
    plan = sections.get("plan", {})
    municipalities = sections.get("municipalities", {})
    objectives = sections.get("objectives", {})
    questionnaire = sections.get("questionnaire", {})
    needs = sections.get("needs", {})

    # Projects per specific objective, and per municipality for the maps and the annex.
    projects_by_name: dict[str, list[dict]] = defaultdict(list)
    objective_nodes = []
    total_cost = Decimal(0)
    project_count = 0
    if objectives.get("available"):
        for node, depth in _walk(objectives.get("items") or []):
            projects = node.get("projects") or []
            node_cost = Decimal(0)
            for project in projects:
                cost = _decimal(project.get("cost"))
                node_cost += cost
                for name in project.get("municipalities") or []:
                    projects_by_name[name].append({"title": project.get("title", ""), "objective": node.get("code")})
            total_cost += node_cost
            project_count += len(projects)
            objective_nodes.append({"node": node, "depth": depth, "cost": node_cost})

    participation = (questionnaire.get("by_municipality") or {}) if questionnaire.get("available") else {}
    # Responses per 1,000 inhabitants, as on the questionnaire's results page.
    rates = participation_rates(
        {code: int(n) for code, n in participation.items()},
        {item["istat_code"]: item.get("population") for item in municipalities.get("items") or []},
    )
    needs_by_code = (needs.get("by_municipality") or {}) if needs.get("available") else {}
    annex = []
    for item in municipalities.get("items") or []:
        code = item["istat_code"]
        area = _decimal(item.get("area_km2"))
        annex.append(
            {
                **item,
                "area": area,
                "density": (Decimal(item.get("population") or 0) / area) if area else Decimal(0),
                "projects": projects_by_name.get(item["name"], []),
                # None means "not yet available"; a comune with no data in an available section has 0.
                "responses": participation.get(code, 0) if questionnaire.get("available") else None,
                "rate": rates.get(code),
                "needs": needs_by_code.get(code, 0) if needs.get("available") else None,
            }
        )

    maps = {}
    if municipalities.get("items"):
        # The shapes frozen with the data, never the live table: a redelivered job draws what was frozen,
        # and the content hash covers them. Drawn in ISTAT order, as the web maps are.
        shapes = [
            MapShape(item["istat_code"], item["name"], item["svg_path"])
            for item in sorted(municipalities["items"], key=lambda item: item["istat_code"])
        ]
        project_values = {m["istat_code"]: len(m["projects"]) for m in annex}
        fills, legend = choropleth(project_values, unit=_("progetti"))
        maps["projects"] = MunicipalityMap(
            title=_("Progetti del piano per comune"),
            description=_("Numero di progetti che riguardano ciascuno dei 108 comuni."),
            fills=fills,
            legend=legend,
            links=False,
            dom_id="mappa-progetti",
        ).render(shapes)
        if questionnaire.get("available"):
            # The results page's map, without links and pointing at the annex for the numbers.
            maps["participation"] = replace(
                participation_map(rates),
                links=False,
                description=_(
                    "Risposte ogni 1.000 abitanti per ciascuno dei 108 comuni, per comune di residenza dichiarato; "
                    "i comuni in grigio non hanno risposte. I numeri sono nell'allegato dei 108 comuni."
                ),
            ).render(shapes)

    vocations = _vocations_context(
        sections.get("vocations", {}), sections.get("scenarios", {}), shapes_of(municipalities)
    )

    # Each question's chart data, frozen by the provider: drawn by the results page's SVG template.
    charts = (questionnaire.get("questions") or []) if questionnaire.get("available") else []

    vision = sections.get("vision", {})
    vision_html = mark_safe(sanitize_html(vision.get("html") or "")) if vision.get("available") else ""

    title = plan.get("title") or _("Piano Strategico Metropolitano")
    kind_label = {
        "draft": _("Proposta preliminare di piano"),
        "final": _("Piano finale"),
        "annual": _("Relazione annuale di attuazione"),
    }.get(kind, _("Piano finale"))
    implementation = sections.get("implementation", {})
    if kind == "annual" and implementation.get("year"):
        kind_label = f"{kind_label} {implementation['year']}"
    return {
        "kind": kind,
        "kind_label": kind_label,
        "version": version,
        "created": created,
        "created_iso": created.replace(microsecond=0).isoformat(),
        "title": title,
        "document_title": f"{title} — {kind_label} v{version}",
        "keywords": ", ".join(
            [_("piano strategico"), _("Città Metropolitana di Messina"), str(kind_label), plan.get("years", "")]
        ),
        "plan": plan,
        "sections": sections,
        "objective_nodes": objective_nodes,
        "specific_objectives": [o for o in objective_nodes if o["node"].get("level") == 3],
        "project_count": project_count,
        "total_cost": total_cost,
        "charts": charts,
        "vision_html": vision_html,
        "maps": maps,
        "annex": annex,
        "is_final": kind == "final",
        "implementation": implementation,
        "vocations": vocations,
    }


def shapes_of(municipalities: dict) -> list[MapShape]:
    return [
        MapShape(item["istat_code"], item["name"], item["svg_path"])
        for item in sorted(municipalities.get("items") or [], key=lambda item: item["istat_code"])
    ]


def _vocations_context(section: dict, scenarios: dict, shapes: list[MapShape]) -> dict:
    """The vocations' maps (areas, and each vocation's relevance) and the scenarios' charts, from the snapshot."""
    if not section.get("available"):
        return {}
    areas = section.get("areas") or []
    area_of = {name: area for area in areas for name in area["municipalities"]}
    legend = [LegendItem(area["colour"], area["name"]) for area in areas]
    context = {"areas_map": "", "items": [], "scenario_charts": []}
    if shapes:
        context["areas_map"] = MunicipalityMap(
            title=_("Gli ambiti territoriali"),
            description=_("Ogni comune è colorato secondo il suo ambito; l'elenco dei comuni di ogni ambito segue."),
            fills={s.istat_code: area_of[s.name]["colour"] for s in shapes if s.name in area_of},
            legend=legend,
            links=False,
            dom_id="mappa-ambiti",
        ).render(shapes)
    for item in section.get("items") or []:
        entry = {"item": item, "map": "", "chart": None}
        context["items"].append(entry)
        if "scores" not in item:
            continue
        if shapes:
            entry["map"] = MunicipalityMap(
                title=_("Rilevanza di «%(name)s» per i comuni") % {"name": item["name"]},
                description=_("Punteggio da 1 a 5 dato da ogni comune; grigio chi non ha risposto."),
                fills={code: vocation_results.SCORE_FILLS[int(score)] for code, score in item["scores"].items()},
                legend=vocation_results.score_legend(),
                links=False,
                dom_id=f"mappa-{item['slug']}",
            ).render(shapes)
        entry["chart"] = vocation_results.chart(
            f"grafico-{item['slug']}",
            _("Rilevanza media per ambito: %(name)s") % {"name": item["name"]},
            _("Media dei punteggi dei comuni di ogni ambito; la tabella riporta gli stessi numeri."),
            [(row["name"], row["average"]) for row in item["areas"]],
        )
    if scenarios.get("available"):
        titles = [s["title"] for s in scenarios.get("items") or []]
        for index, indicator in enumerate(scenarios.get("indicators") or []):
            numbers = [_decimal(v) if v != "" else None for v in [indicator["baseline"], *indicator["values"]]]
            top = max([float(n) for n in numbers if n is not None] or [1])
            context["scenario_charts"].append(
                vocation_results.chart(
                    f"grafico-scenario-{index + 1}",
                    f"{indicator['code']} — {indicator['name']}",
                    _("Valore di partenza e valore di ogni scenario all'orizzonte del piano."),
                    list(zip([_("Valore di partenza"), *titles], numbers, strict=True)),
                    top=top,
                )
            )
    return context


# --- Fonts and stylesheet -----------------------------------------------------------------------------------


def _static_path(path: str) -> Path:
    found = finders.find(path)
    if not found:
        raise ImproperlyConfigured(f"File statico mancante per il PDF del piano: {path}")
    return Path(found)


def stylesheet_text() -> str:
    """The print stylesheet, preceded by @font-face rules pointing at the local Titillium Web files."""
    faces = []
    for weight, style, filename in FONT_FACES:
        uri = _static_path(f"{FONT_DIR}/{filename}").as_uri()
        faces.append(
            f'@font-face {{ font-family: "Titillium Web"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{uri}") format("truetype"); }}'
        )
    return "\n".join(faces) + "\n" + _static_path(STYLESHEET).read_text(encoding="utf-8")


# --- Rendering ----------------------------------------------------------------------------------------------


def _pause() -> None:
    delay = float(os.environ.get(STEP_DELAY_ENV) or 0)
    if delay:
        time.sleep(delay)


def render_html(context: dict) -> str:
    return render_to_string(TEMPLATES.get(context.get("kind"), TEMPLATE), context)


def render_plan_pdf(
    snapshot: dict,
    *,
    kind: str,
    version: int,
    created: datetime,
    progress: Callable[[int], None] | None = None,
) -> RenderedPlan:
    """Render one plan document to PDF bytes; raises PlanRenderError when data or templates cannot be rendered."""
    # WeasyPrint (a second to import, and native libraries) loads in the process that renders, not in every web one.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    report = progress or (lambda value: None)
    timings = Timings()
    with translation.override("it"):
        started = time.perf_counter()
        try:
            context = build_context(snapshot, kind=kind, version=version, created=created)
            timings.steps["context"] = time.perf_counter() - started
            report(20)
            _pause()
            mark = time.perf_counter()
            html = render_html(context)
            css = stylesheet_text()
        except PlanRenderError:
            raise
        except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
            raise PlanRenderError(_("Il modello del documento contiene un errore: %(error)s") % {"error": exc})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PlanRenderError(
                _("I dati del piano non si possono impaginare (%(kind)s: %(error)s).")
                % {"kind": type(exc).__name__, "error": exc}
            )
        timings.steps["templates"] = time.perf_counter() - mark
        timings.portal = time.perf_counter() - started
        report(35)
        _pause()

    # Only local files: fonts and stylesheet come from the static finders, never from the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    mark = time.perf_counter()
    document = HTML(string=html, base_url=str(_static_path(STYLESHEET).parent), url_fetcher=fetcher).render(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)]
    )
    timings.steps["layout"] = time.perf_counter() - mark
    report(80)
    _pause()
    mark = time.perf_counter()
    identifier = hashlib.sha256(f"{snapshot_hash(snapshot)}:{kind}:{version}".encode()).hexdigest()[:32]
    pdf = document.write_pdf(pdf_identifier=identifier.encode(), **PDF_OPTIONS)
    if kind == "final" and seal_configured():
        with translation.override("it"):
            reason = _("Piano Strategico Metropolitano, piano finale versione %(version)s") % {"version": version}
        pdf = seal_pdf(pdf, reason=reason)
    timings.steps["pdf"] = time.perf_counter() - mark
    timings.layout = timings.steps["layout"] + timings.steps["pdf"]
    report(95)
    return RenderedPlan(pdf=pdf, pages=len(document.pages), sha256=hashlib.sha256(pdf).hexdigest(), timings=timings)
