"""The SVG map of the 108 comuni: one reusable component for the web pages and the plan PDF.

Boundaries are projected once, when they are loaded (``project_geometry``); a map
is then one query for the 108 paths plus a fill colour per municipality. Callers
say what the colours mean through ``choropleth`` (a number per municipality, in
classes) or ``categorical`` (a state per municipality).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from municipalities.models import Municipality
from psm_portal.lib.money import format_number

# A fixed equirectangular projection around the province, scaled by the cosine of
# its mean latitude so that shapes keep their proportions. Units are SVG pixels.
LON_WEST = 14.15
LAT_NORTH = 38.84
LAT_MEAN = 38.3
SCALE = 1000.0
VIEWBOX = (0, 0, 1180, 1060)

DEFAULT_FILL = "#d9dadb"
# Sequential blues from Bootstrap Italia's primary colour, light to dark.
SEQUENTIAL = ["#dbe9f8", "#9cc3ec", "#4d94db", "#0066cc", "#003d7a"]


def project(lon: float, lat: float) -> tuple[float, float]:
    x = (lon - LON_WEST) * math.cos(math.radians(LAT_MEAN)) * SCALE
    y = (LAT_NORTH - lat) * SCALE
    return round(x, 1), round(y, 1)


def project_geometry(geometry: Mapping) -> str:
    """A GeoJSON Polygon or MultiPolygon as the ``d`` of one SVG path."""
    kind = geometry["type"]
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"Geometria non supportata: {kind}")
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            head, *tail = points
            parts.append(f"M{head[0]:g} {head[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in tail) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str


@dataclass
class MunicipalityMap:
    """What one map shows: its accessible title and description, a fill and a note per comune."""

    title: str
    description: str
    fills: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    legend: list[LegendItem] = field(default_factory=list)
    links: bool = True
    dom_id: str = "mappa-comuni"

    def render(self, shapes: Iterable | None = None) -> SafeString:
        if shapes is None:
            shapes = Municipality.objects.for_map()
        items = [
            {
                "istat_code": m.istat_code,
                "name": m.name,
                "path": m.svg_path,
                "fill": self.fills.get(m.istat_code, DEFAULT_FILL),
                "label": f"{m.name}: {self.notes[m.istat_code]}" if m.istat_code in self.notes else m.name,
            }
            for m in shapes
        ]
        return render_to_string(
            "municipalities/_map.html",
            {"map": self, "shapes": items, "viewbox": " ".join(str(v) for v in VIEWBOX)},
        )


def _format(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def choropleth(
    values: Mapping[str, float], *, classes: int = 5, unit: str = "", zero_label: str | None = None
) -> tuple[dict[str, str], list[LegendItem]]:
    """Fill colours and legend for a number per municipality, in equal-count classes.

    Municipalities with zero (or missing) keep the neutral grey, so "none" is never
    mistaken for "few".
    """
    positive = sorted(v for v in values.values() if v and v > 0)
    legend = [LegendItem(DEFAULT_FILL, zero_label or gettext("nessuno"))]
    if not positive:
        return {}, legend
    classes = max(1, min(classes, len(set(positive)), len(SEQUENTIAL)))
    # Upper bounds of each class, from quantiles of the positive values.
    bounds = [
        positive[min(len(positive) - 1, math.ceil(len(positive) * (i + 1) / classes) - 1)] for i in range(classes)
    ]
    bounds = sorted(set(bounds))
    palette = SEQUENTIAL[len(SEQUENTIAL) - len(bounds) :] if len(bounds) < len(SEQUENTIAL) else SEQUENTIAL
    fills: dict[str, str] = {}
    for code, value in values.items():
        if not value or value <= 0:
            continue
        index = next(i for i, bound in enumerate(bounds) if value <= bound)
        fills[code] = palette[index]
    lower = 0.0
    for bound, colour in zip(bounds, palette, strict=False):
        label = (
            f"{_format(lower)} – {_format(bound)}" if lower else gettext("fino a %(bound)s") % {"bound": _format(bound)}
        )
        legend.append(LegendItem(colour, f"{label} {unit}".strip()))
        lower = bound
    return fills, legend


def categorical(
    states: Mapping[str, str], palette: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, str], list[LegendItem]]:
    """Fill colours and legend for a state per municipality: ``palette[state] = (colour, label)``."""
    fills = {code: palette[state][0] for code, state in states.items() if state in palette}
    legend = [LegendItem(colour, label) for colour, label in palette.values()]
    return fills, legend


def by_area(shapes: Iterable, areas: Iterable) -> tuple[dict[str, str], list[LegendItem]]:
    """Fill colours and legend colouring each comune by its territorial area (shapes from ``for_map()``)."""
    palette = {area.pk: (area.colour, area.name) for area in areas}
    return categorical({m.istat_code: m.area_id for m in shapes}, palette)
