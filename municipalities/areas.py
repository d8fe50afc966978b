"""The default grouping of the 108 comuni into territorial areas ("ambiti territoriali").

The grouping is reference data shipped with the portal (``data/areas_default.csv``, its rationale in
``data/README.md``); the PSM team edits it afterwards (the Django admin of the areas and comuni). This module
knows only the defaults and imports no model, so the data migration can use it too.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_AREAS_CSV = DATA_DIR / "areas_default.csv"

# code → (name, order, colour). Colours: a qualitative, colour-blind-friendly palette (Okabe–Ito), each area also
# named in the legend and the tables, never told by its colour alone.
DEFAULT_AREAS: dict[str, tuple[str, int, str]] = {
    "stretto": ("Area dello Stretto", 1, "#0072b2"),
    "tirrenica-mela": ("Costa tirrenica: Milazzo, Barcellona e Valle del Mela", 2, "#e69f00"),
    "tirrenica-patti": ("Costa tirrenica: Patti e Capo d'Orlando", 3, "#56b4e9"),
    "nebrodi": ("Nebrodi", 4, "#009e73"),
    "eolie": ("Isole Eolie", 5, "#cc79a7"),
    "ionica": ("Costa ionica e Valle d'Agrò", 6, "#d55e00"),
    "alcantara": ("Valle dell'Alcantara", 7, "#f0e442"),
}


@cache
def default_area_of() -> dict[str, str]:
    """ISTAT code → code of its default area, for the 108 comuni."""
    with open(DEFAULT_AREAS_CSV, encoding="utf-8", newline="") as handle:
        return {row["istat_code"]: row["area"] for row in csv.DictReader(handle)}
