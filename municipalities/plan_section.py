"""What the comuni give the plan documents: the 108 comuni with their shapes on the maps.

Shape in ``plan.sections``; fingerprint as in ``psm_portal.lib.plan_data``.
"""

from __future__ import annotations

from municipalities.models import Municipality
from psm_portal.lib.plan_data import digest, table_rows


def municipalities_provider(kind: str) -> dict:
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


def municipalities_fingerprint(kind: str) -> str:
    return digest(table_rows(Municipality.objects.all()))
