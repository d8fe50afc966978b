"""Loading the 108 comuni from the reference files shipped in ``municipalities/data``."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from municipalities.areas import DEFAULT_AREAS, default_area_of
from municipalities.maps import project_geometry
from municipalities.models import MUNICIPALITY_COUNT, PROVINCE_CODE, Area, Municipality
from psm_portal.lib.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CSV = DATA_DIR / "municipalities_messina.csv"
DEFAULT_GEOJSON = DATA_DIR / "municipalities_messina.geojson"
REQUIRED_COLUMNS = {
    "istat_code",
    "name",
    "cadastral_code",
    "population",
    "population_female",
    "population_male",
    "area_km2",
    "latitude",
    "longitude",
    "is_capital",
}


class MunicipalityDataError(Exception):
    """The reference files are not the 108 comuni of the province of Messina."""


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _read_rows(csv_path: Path) -> list[dict[str, str]]:
    try:
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            # A short row gets empty cells, refused below as invalid values rather than crashing on None.
            reader = csv.DictReader(handle, restval="")
            missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise MunicipalityDataError(
                    f"Nel file {csv_path.name} mancano le colonne: {', '.join(sorted(missing))}."
                )
            # Cells are stripped here, once, so the checks and the load see the same codes.
            return [{key: value.strip() for key, value in row.items() if key is not None} for row in reader]
    except (OSError, UnicodeDecodeError) as exc:
        raise MunicipalityDataError(f"Impossibile leggere il file {csv_path}: {exc}") from exc


def _read_boundaries(geojson_path: Path) -> dict[str, dict]:
    try:
        with open(geojson_path, encoding="utf-8") as handle:
            collection = json.load(handle)
        return {f["properties"]["istat_code"]: f["geometry"] for f in collection["features"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MunicipalityDataError(f"Il file dei confini {geojson_path} non è un GeoJSON valido: {exc}") from exc


def _check_codes(codes: list[str]) -> None:
    unique = set(codes)
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    foreign = sorted(c for c in unique if len(c) != 6 or not c.isdigit() or not c.startswith(PROVINCE_CODE))
    if duplicates or foreign or len(unique) != MUNICIPALITY_COUNT:
        details = []
        if len(unique) != MUNICIPALITY_COUNT:
            details.append(f"contiene {len(unique)} codici distinti")
        if duplicates:
            details.append(f"codici ripetuti: {', '.join(duplicates)}")
        if foreign:
            details.append(f"codici non della provincia {PROVINCE_CODE}: {', '.join(foreign[:10])}")
        raise MunicipalityDataError(
            f"Il file deve contenere esattamente i {MUNICIPALITY_COUNT} codici ISTAT distinti dei comuni "
            f"della provincia di Messina ({PROVINCE_CODE}xxx): {'; '.join(details)}. Nessun dato è stato modificato."
        )


def _values(row: dict[str, str], geometry: dict) -> dict:
    code = row["istat_code"]
    try:
        return {
            "name": row["name"],
            "name_folded": fold(row["name"]),
            "slug": slugify(row["name"]),
            "cadastral_code": row["cadastral_code"].upper(),
            "population": int(row["population"]),
            "population_female": int(row["population_female"]),
            "population_male": int(row["population_male"]),
            "area_km2": Decimal(row["area_km2"]).quantize(Decimal("0.01")),
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
            "is_capital": row["is_capital"] == "1",
            "boundary": geometry,
            "svg_path": project_geometry(geometry),
        }
    except (ValueError, InvalidOperation, KeyError) as exc:
        raise MunicipalityDataError(f"Valore non valido per il comune {code}: {exc}") from exc


def municipalities_load(*, csv_path: Path = DEFAULT_CSV, geojson_path: Path = DEFAULT_GEOJSON) -> LoadResult:
    """Create or update the 108 comuni from the reference files; all of them or none."""
    rows = _read_rows(Path(csv_path))
    _check_codes([row["istat_code"] for row in rows])
    boundaries = _read_boundaries(Path(geojson_path))
    missing = sorted(row["istat_code"] for row in rows if row["istat_code"] not in boundaries)
    if missing:
        raise MunicipalityDataError(f"Manca il confine dei comuni: {', '.join(missing)}.")
    wanted = {row["istat_code"]: _values(row, boundaries[row["istat_code"]]) for row in rows}

    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {m.istat_code: m for m in Municipality.objects.filter(istat_code__in=wanted)}
        areas = default_areas_ensure() if len(existing) < len(wanted) else {}
        for code, values in wanted.items():
            current = existing.get(code)
            if current is None:
                # A new comune joins its default area; the team's later moves are kept on updates.
                Municipality.objects.create(istat_code=code, area=areas[default_area_of()[code]], **values)
                created += 1
            elif any(getattr(current, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(current, key, value)
                current.save()
                updated += 1
            else:
                unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


def default_areas_ensure() -> dict[str, Area]:
    """The default areas, created when missing (the data migration creates them; a flushed test database not)."""
    areas = {area.code: area for area in Area.objects.filter(code__in=DEFAULT_AREAS)}
    for code, (name, order, colour) in DEFAULT_AREAS.items():
        if code not in areas:
            areas[code] = Area.objects.create(code=code, name=name, order=order, colour=colour)
    return areas
