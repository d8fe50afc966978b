"""``manage.py load_municipalities``: idempotent, updates changed values, refuses anything but the 108 comuni."""

from __future__ import annotations

import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from municipalities.models import Municipality
from municipalities.services import DEFAULT_CSV, DEFAULT_GEOJSON

pytestmark = pytest.mark.django_db


def _rows(path: Path = DEFAULT_CSV) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _load(csv_path: Path = DEFAULT_CSV, geojson_path: Path = DEFAULT_GEOJSON) -> str:
    out = StringIO()
    call_command("load_municipalities", csv=csv_path, geojson=geojson_path, stdout=out)
    return out.getvalue()


def _snapshot() -> list[tuple]:
    return list(Municipality.objects.order_by("istat_code").values_list("istat_code", "name", "population", "area_km2"))


def test_loading_twice_keeps_108_and_reports_unchanged():
    first = _load()
    assert Municipality.objects.count() == 108
    assert "108 invariati" in first
    second = _load()
    assert Municipality.objects.count() == 108
    assert "Comuni: 108 (0 creati, 0 aggiornati, 108 invariati)." in second


def test_loading_into_an_empty_table_creates_108():
    Municipality.objects.all().delete()
    assert "108 creati" in _load()
    messina = Municipality.objects.get(istat_code="083048")
    assert (messina.name, messina.population, messina.is_capital) == ("Messina", 218786, True)
    assert messina.svg_path.startswith("M") and messina.slug == "messina"


def test_a_changed_value_is_updated(tmp_path):
    fields, rows = _rows()
    for row in rows:
        if row["istat_code"] == "083041":
            row["population"] = "12345"
            row["name"] = "Lipari (Isole Eolie)"
    out = _load(_write(tmp_path / "comuni.csv", fields, rows))
    assert "1 aggiornati" in out
    lipari = Municipality.objects.get(istat_code="083041")
    assert (lipari.population, lipari.name, lipari.name_folded) == (
        12345,
        "Lipari (Isole Eolie)",
        "lipari (isole eolie)",
    )
    assert Municipality.objects.count() == 108


def _refused(tmp_path, fields, rows, *fragments: str, geojson: Path = DEFAULT_GEOJSON) -> None:
    before = _snapshot()
    with pytest.raises(CommandError) as error:
        _load(_write(tmp_path / "comuni.csv", fields, rows), geojson)
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message
    assert _snapshot() == before


def test_refuses_107_rows(tmp_path):
    fields, rows = _rows()
    rows[5]["population"] = "1"  # a change that must not be applied
    _refused(tmp_path, fields, rows[:107], "esattamente i 108 codici ISTAT", "contiene 107 codici distinti")


def test_refuses_a_duplicate_code(tmp_path):
    fields, rows = _rows()
    rows[1]["istat_code"] = rows[0]["istat_code"]
    _refused(tmp_path, fields, rows, f"codici ripetuti: {rows[0]['istat_code']}", "Nessun dato è stato modificato")


def test_refuses_a_duplicate_row_beyond_108(tmp_path):
    fields, rows = _rows()
    _refused(tmp_path, fields, [*rows, rows[0]], "codici ripetuti")


def test_refuses_a_code_outside_the_province(tmp_path):
    fields, rows = _rows()
    rows[0]["istat_code"] = "087001"
    _refused(tmp_path, fields, rows, "codici non della provincia 083: 087001")


def test_refuses_a_missing_column(tmp_path):
    fields, rows = _rows()
    fields.remove("population")
    for row in rows:
        del row["population"]
    _refused(tmp_path, fields, rows, "mancano le colonne: population")


def test_refuses_a_bad_number_and_changes_nothing(tmp_path):
    fields, rows = _rows()
    rows[0]["population"] = "0"
    rows[50]["area_km2"] = "tanti"
    _refused(tmp_path, fields, rows, f"Valore non valido per il comune {rows[50]['istat_code']}")


def test_refuses_a_short_row_and_changes_nothing(tmp_path):
    fields, rows = _rows()
    rows[7]["population"] = "1"  # a change that must not be applied
    path = _write(tmp_path / "comuni.csv", fields, rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    # The last comune loses every cell after its name.
    lines[-1] = ",".join(lines[-1].split(",")[:2])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _snapshot()
    with pytest.raises(CommandError, match=f"Valore non valido per il comune {rows[-1]['istat_code']}"):
        _load(path)
    assert _snapshot() == before


def test_blanks_around_a_code_are_ignored(tmp_path):
    fields, rows = _rows()
    for row in rows:
        if row["istat_code"] == "083041":
            row["istat_code"] = " 083041 "
            row["population"] = "12345"
    assert "1 aggiornati" in _load(_write(tmp_path / "comuni.csv", fields, rows))
    assert Municipality.objects.get(istat_code="083041").population == 12345
    assert Municipality.objects.count() == 108


def test_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Impossibile leggere il file"):
        _load(tmp_path / "non-esiste.csv")


def test_refuses_a_broken_geojson(tmp_path):
    broken = tmp_path / "confini.geojson"
    broken.write_text("{non è json", encoding="utf-8")
    fields, rows = _rows()
    _refused(tmp_path, fields, rows, "non è un GeoJSON valido", geojson=broken)


def test_the_shipped_copy_loads_from_elsewhere(tmp_path):
    copy = shutil.copy(DEFAULT_CSV, tmp_path / "copia.csv")
    assert "108 invariati" in _load(Path(copy))
