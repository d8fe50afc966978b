"""The three refusals of an import: the whole file, one cell, one row."""

from __future__ import annotations

from dataclasses import dataclass


class ImportFileError(Exception):
    """The file as a whole cannot be read: empty, not a spreadsheet, wrong encoding, too many rows."""


class CellError(ValueError):
    """A cell's value cannot be used; the arguments are the Italian messages (one, or one per bad code)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}
