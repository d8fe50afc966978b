"""Reading the bytes of an office's file into a header and numbered rows, whatever its format (CSV or
XLSX), separator or encoding; a file that cannot be read raises ``ImportFileError`` with an Italian message.

Every read is bounded before it starts, whatever the file declares:

- bytes: at most ``PROJECTS_IMPORT_MAX_BYTES``;
- an XLSX is a zip: its entries and their unpacked sizes are checked (``psm_portal.lib.zips``) before
  openpyxl opens it, so no part of it unpacks beyond 200 MB;
- rows: a file with more than ``MAX_ROWS`` rows with content, or more than ``MAX_RECORDS`` rows counting
  the empty ones, is refused as soon as the bound is passed; only rows with content are kept;
- columns: at most ``MAX_COLUMNS`` are read; content beyond them refuses the file, empty cells there
  (formatting applied to whole rows) are skipped. A sheet's declared dimension is never used: openpyxl's
  ``iter_rows`` pads every row up to it, and a sheet with cells at A1 and XFD1048576 would be 17 billion
  empty cells; the sheet's XML is read row by row instead, and rows missing from it cost nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from projects.importer.cells import blank
from projects.importer.columns import map_columns
from projects.importer.errors import ImportFileError
from psm_portal.lib import zips
from psm_portal.lib.money import format_number

MAX_ROWS = 20_000
MAX_RECORDS = 5 * MAX_ROWS  # rows counting the empty ones (CSV records, XLSX row elements)
MAX_COLUMNS = 256  # column IV: an OpenCoesione export has about 200

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


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterable[str]:
    """The lines of ``text`` with their endings, one at a time (as ``open(newline="")`` gives them to the csv
    module; a StringIO would hold a second copy of the text, four bytes a character)."""
    return (match.group(0) for match in _LINE.finditer(text))


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in _lines(text) if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    text = _decode(data)
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text[:20000]):
        raise ImportFileError(NOT_A_SPREADSHEET)
    reader = csv.reader(_lines(text), delimiter=_sniff_delimiter(text))
    try:
        numbered = _numbered(enumerate(reader, start=1))
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


def too_many_records() -> ImportFileError:
    return ImportFileError(
        _("Il file ha più di %(max)s righe, contando anche quelle vuote: togli le righe vuote o dividilo in più file.")
        % {"max": format_number(MAX_RECORDS)}
    )


def too_many_columns() -> ImportFileError:
    return ImportFileError(
        _(
            "Il file ha dati oltre la colonna %(column)s: se ne leggono al massimo %(max)s. Togli le colonne in più "
            "e caricalo di nuovo."
        )
        % {"column": get_column_letter(MAX_COLUMNS), "max": MAX_COLUMNS}
    )


def _within_columns(cells: list) -> list:
    """The first ``MAX_COLUMNS`` cells; content beyond them refuses the file."""
    if len(cells) > MAX_COLUMNS:
        if any(not blank(cell) for cell in cells[MAX_COLUMNS:]):
            raise too_many_columns()
        del cells[MAX_COLUMNS:]
    return cells


def _numbered(rows: Iterable[tuple[int, list]]) -> list[tuple[int, list]]:
    """The rows with content, each with its number, read no further than ``MAX_ROWS`` + 1 of them (the header
    and the projects) or ``MAX_RECORDS`` rows in all: a file over a limit is refused without reading the rest."""
    numbered: list[tuple[int, list]] = []
    for count, (number, cells) in enumerate(rows, start=1):
        if count > MAX_RECORDS:
            raise too_many_records()
        cells = _within_columns(list(cells))
        if any(not blank(cell) for cell in cells):
            numbered.append((number, cells))
            if len(numbered) > MAX_ROWS + 1:
                raise too_many_rows()
    return numbered


def _split_header(rows: list[tuple[int, list]]) -> tuple[list, list[tuple[int, list]]]:
    if not rows:
        raise ImportFileError(_("Il file è vuoto."))
    (_number, header), *body = rows
    return list(header), body


def _is_projects_sheet(header: list) -> bool:
    return map_columns(header).has("title")


def _read_xlsx(data: bytes, wanted: Callable[[list], bool]) -> tuple[list, list[tuple[int, list]]]:
    try:
        with zips.open_checked(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(NOT_A_SPREADSHEET)
    except ValidationError as refusal:
        raise ImportFileError(refusal.messages[0])
    except zipfile.BadZipFile:
        raise ImportFileError(NOT_A_SPREADSHEET)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise _damaged_xlsx()
    try:
        fallback = None
        for sheet in workbook.worksheets:
            numbered = _sheet_rows(workbook, sheet)
            if not numbered:
                continue
            header, body = _split_header(numbered)
            if wanted(header):
                return header, body  # the sheet with the data (the projects), not the instructions
            fallback = fallback or (header, body)
        if fallback is None:
            raise ImportFileError(_("Il file è vuoto."))
        return fallback
    finally:
        workbook.close()


def _damaged_xlsx() -> ImportFileError:
    return ImportFileError(_("Il file Excel è danneggiato e non si può leggere: salvalo di nuovo o esportalo in CSV."))


def _xml_rows(workbook, sheet) -> Iterable[tuple[int, list]]:
    """(row number, values) for each row the sheet's XML holds, at most ``MAX_COLUMNS`` + 1 values wide.

    openpyxl's own parser, without the read-only sheet's ``iter_rows``, which yields every row and column
    up to the declared dimension; a cell past the last column read counts only if it has content."""
    parser = WorkSheetParser(
        workbook._archive.open(sheet._worksheet_path),
        sheet._shared_strings,
        data_only=False,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    try:
        for number, cells in parser.parse():
            values: list = []
            for cell in cells:
                column, value = cell["column"], cell["value"]
                if column > MAX_COLUMNS:
                    if not blank(value):
                        raise too_many_columns()
                    continue
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
            yield number, values
    finally:
        parser.source.close()


def _sheet_rows(workbook, sheet) -> list[tuple[int, list]]:
    """The numbered rows with content of a sheet. openpyxl parses the sheet's XML only here, so a damaged
    file (a sheet cut in half) fails now, not when the workbook is opened."""
    try:
        return _numbered(_xml_rows(workbook, sheet))
    except ImportFileError:
        raise
    except Exception:  # XML ParseError, zip and zlib errors, KeyError: whatever the damage gives
        raise _damaged_xlsx()


def read_table(data: bytes, *, wanted: Callable[[list], bool] | None = None) -> tuple[list, list[tuple[int, list]]]:
    """Header and numbered rows of a CSV or XLSX file; ``ImportFileError`` when it cannot be read. Of a workbook,
    the first sheet whose header ``wanted`` accepts (by default: one with the projects' title), else the first
    sheet with content."""
    if not data or not data.strip():
        raise ImportFileError(_("Il file è vuoto."))
    limit = settings.PROJECTS_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("Il file pesa %(size)s MB: il limite è %(limit)s MB. Dividilo in più file e caricali uno alla volta.")
            % {"size": format_number(len(data) / 1024 / 1024, 1), "limit": format_number(limit / 1024 / 1024)}
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, wanted or _is_projects_sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Il file è nel vecchio formato Excel .xls: aprilo e salvalo come .xlsx oppure come CSV.")
        )
    if data.startswith(MAGIC_NOT_SPREADSHEET):
        raise ImportFileError(NOT_A_SPREADSHEET)
    return _read_csv(data)
