"""Importing an office's spreadsheet as it is: read, checked row by row, matched to existing projects.

``reading`` turns the bytes of a CSV or XLSX file into a header and rows; ``columns`` maps the header onto
the columns we know (our template, OpenCoesione, PNRR/Italia Domani), each with its cell parser from
``cells``; ``rows`` checks one row against the rules of a valid project; ``preview`` matches the rows to
existing projects (by CUP, else by local code). ``read_import`` gives an ``ImportPreview``: the rows to create,
the rows to update, and every error with its row, column and an Italian message. Nothing is written here:
``projects.services.imports`` writes a checked preview.
"""

from projects.importer.cells import parse_amount
from projects.importer.columns import COLUMNS, FUNDING_LABELS
from projects.importer.errors import CellError, ImportFileError, RowError
from projects.importer.preview import ImportPreview, RowChange, chunks, read_import

__all__ = [
    "COLUMNS",
    "FUNDING_LABELS",
    "CellError",
    "ImportFileError",
    "ImportPreview",
    "RowChange",
    "RowError",
    "chunks",
    "parse_amount",
    "read_import",
]
