"""CSV downloads that are safe to open in a spreadsheet, in any language's Excel.

Two rules, for every CSV the portal writes (``csv_response``, ``csv_writer``):

- **Every text is quoted; numbers are not.** A quoted text is one cell whatever separator the spreadsheet
  splits on. Numbers (``int``, ``float``, ``Decimal``, and booleans as 0/1) are written bare, as before,
  so every spreadsheet and every CSV reader reads them as numbers (``csv.QUOTE_NONNUMERIC`` semantics:
  Python's own reader with that setting gives them back as floats). A bare number is only digits, a
  sign, a point and an exponent: it cannot start a formula. Infinite or NaN values are written as text.
- **No text can start a formula, wherever a spreadsheet may start a cell.** Italian Excel splits a
  comma-separated file on ``;``, so ``Titolo;=1+1`` is two cells there, the second a formula; others split
  on ``,`` or on tabs, and a line break inside a cell starts a line for some. So a formula prefix
  (``= + - @``, tab, CR, LF, possibly after quotes) gets a leading apostrophe at the start of the text and
  after every ``,`` ``;`` tab, CR or LF in it: ``Titolo;'=1+1``. The apostrophe is what a spreadsheet
  itself uses to mean "this is text"; applying the rule twice changes nothing.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# A position (the start, or just after a separator or a line break) followed by optional quotes and a
# formula prefix: the apostrophe goes there.
_FORMULA_START = re.compile(r"""(?:^|(?<=[,;\t\r\n]))(?="*[=+\-@\t\r\n])""")


def safe_cell(value) -> str | int | float | Decimal:
    """A number as it is; anything else as a text in which no formula can start (see the module's doc)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if (isinstance(value, float) and math.isfinite(value)) or (isinstance(value, Decimal) and value.is_finite()):
        return value
    return _FORMULA_START.sub("'", str(value))


def csv_writer(target):
    """A ``csv.writer`` on ``target`` (anything with ``write``) that quotes every text, leaves numbers bare
    and passes every value through ``safe_cell``."""
    return _SafeWriter(csv.writer(target, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC))


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(value) for value in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return response
