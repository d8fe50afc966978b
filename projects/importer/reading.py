"""Reading the bytes of an office's file into a header and numbered rows, whatever its format (CSV or
XLSX), separator or encoding; a file that cannot be read raises ``ImportFileError`` with an Italian message.
Every read is bounded: a file over ``MAX_ROWS`` rows is refused without reading the rest."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from projects.importer.cells import blank
from projects.importer.columns import map_columns
from projects.importer.errors import ImportFileError
from psm_portal.lib.money import format_number

MAX_ROWS = 20_000

NOT_A_SPREADSHEET = gettext_lazy(
    "Il file non è un foglio di calcolo: carica un file CSV (separato da virgole o punti e virgola) o un file Excel .xlsx."
)
MAGIC_NOT_SPREADSHEET = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"BM")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        raise ImportFileError(
            _(
                "Il file è nella codifica UTF-16 («Testo Unicode»), che non possiamo leggere: "
                "salvalo come «CSV UTF-8» oppure come Excel .xlsx."
            )
        )
    if b"\x00" in data:
        raise ImportFileError(NOT_A_SPREADSHEET)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")  # Latin-1 as Windows writes it (with € and typographic quotes)
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if re.search(r"[\x80-\x9f]", text):
        raise ImportFileError(
            _("La codifica del file non è riconosciuta: salvalo come «CSV UTF-8» oppure come Excel .xlsx.")
        )
    return text


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    text = _decode(data)
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text[:20000]):
        raise ImportFileError(NOT_A_SPREADSHEET)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        numbered = _numbered(reader)
    except csv.Error:
        raise ImportFileError(NOT_A_SPREADSHEET)
    return _split_header(numbered)


def too_many_rows() -> ImportFileError:
    """The one refusal of a file over ``MAX_ROWS`` project rows."""
    return ImportFileError(
        _(
            "Il file ha più di %(max)s righe: se ne possono importare al massimo %(max)s per volta; dividilo in più file."
        )
        % {"max": format_number(MAX_ROWS)}
    )


def _numbered(rows: Iterable) -> list[tuple[int, list]]:
    """The rows numbered from 1, read no further than the header and ``MAX_ROWS`` + 1 rows with content:
    a file over the limit is refused without reading (or parsing) the rest."""
    numbered: list[tuple[int, list]] = []
    filled = 0
    for number, cells in enumerate(rows, start=1):
        cells = list(cells)
        numbered.append((number, cells))
        if any(not blank(cell) for cell in cells):
            filled += 1
            if filled > MAX_ROWS + 1:
                raise too_many_rows()
    return numbered


def _split_header(numbered: list[tuple[int, list]]) -> tuple[list, list[tuple[int, list]]]:
    rows = [(number, cells) for number, cells in numbered if any(blank(cell) is False for cell in cells)]
    if not rows:
        raise ImportFileError(_("Il file è vuoto."))
    (_number, header), *body = rows
    return list(header), body


def _read_xlsx(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(NOT_A_SPREADSHEET)
    except zipfile.BadZipFile:
        raise ImportFileError(NOT_A_SPREADSHEET)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise _damaged_xlsx()
    try:
        fallback = None
        for sheet in workbook.worksheets:
            numbered = _sheet_rows(sheet)
            if not any(not blank(cell) for _n, cells in numbered for cell in cells):
                continue
            header, body = _split_header(numbered)
            if map_columns(header).has("title"):
                return header, body  # the sheet with the projects, not the instructions
            fallback = fallback or (header, body)
        if fallback is None:
            raise ImportFileError(_("Il file è vuoto."))
        return fallback
    finally:
        workbook.close()


def _damaged_xlsx() -> ImportFileError:
    return ImportFileError(_("Il file Excel è danneggiato e non si può leggere: salvalo di nuovo o esportalo in CSV."))


def _sheet_rows(sheet) -> list[tuple[int, list]]:
    """The numbered rows of a sheet. In read-only mode openpyxl parses the sheet's XML only here, so a
    damaged file (a sheet cut in half) fails now, not when the workbook is opened."""
    try:
        return _numbered(sheet.iter_rows(values_only=True))
    except ImportFileError:
        raise
    except Exception:  # XML ParseError, zip and zlib errors, KeyError: whatever the damage gives
        raise _damaged_xlsx()


def read_table(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    """Header and numbered rows of a CSV or XLSX file; ``ImportFileError`` when it cannot be read."""
    if not data or not data.strip():
        raise ImportFileError(_("Il file è vuoto."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Il file è nel vecchio formato Excel .xls: aprilo e salvalo come .xlsx oppure come CSV.")
        )
    if data.startswith(MAGIC_NOT_SPREADSHEET):
        raise ImportFileError(NOT_A_SPREADSHEET)
    return _read_csv(data)
