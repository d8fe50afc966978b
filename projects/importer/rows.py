"""Checking one row of a file: every column of the table reads its cell, then the row meets the rules of a
valid project (``projects.rules``) and the importer's own (a title, a CUP or a local code to recognise it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from projects import rules
from projects.choices import Status
from projects.importer.cells import Lookups, blank
from projects.importer.columns import Column, ColumnMap
from projects.importer.errors import CellError, RowError
from projects.models import Project

PLACE_KEYS = ("municipality_codes", "municipality_names", "whole_area")  # the label of a missing place: the first


@dataclass
class ParsedRow:
    number: int
    fields: dict  # only the fields the file has a column for: an update keeps the others
    municipality_codes: list[str] | None  # None: the file has no municipality column
    funding: dict[str, Decimal] | None  # None: the file has no funding column
    objectives: list | None  # specific objectives; None: the file has no objectives column


def _cell(cells: list, positions: list[int]):
    values = [cells[i] if i < len(cells) else None for i in positions]
    return values[0] if len(values) == 1 else values


def _read(column: Column, raw, lookups: Lookups):
    if isinstance(raw, list):  # several columns feed one field (summed funding)
        amounts = [column.parse(item, lookups) for item in raw]
        present = [amount for amount in amounts if amount is not None]
        return sum(present, Decimal("0")) if present else None
    return column.parse(raw, lookups)


def parse_row(
    number: int, cells: list, columns: ColumnMap, lookups: Lookups
) -> tuple[ParsedRow | None, list[RowError]]:
    """The row's values, or ``None`` and its errors (each with the file's own column name)."""
    read: dict[str, object] = {}
    failed: set[str] = set()
    errors: list[RowError] = []
    for column, positions in columns.present:
        if column.unless and columns.has(column.unless) and not blank(_cell(cells, columns.positions[column.unless])):
            continue
        try:
            read[column.key] = _read(column, _cell(cells, positions), lookups)
        except CellError as exc:
            errors.extend(RowError(number, columns.labels[column.key], str(message)) for message in exc.args)
            failed.add(column.key)
            read[column.key] = None

    def add(key: str, message: str) -> None:
        errors.append(RowError(number, columns.labels[key], message))

    # A file without the column says nothing about the field: an update keeps what the project has.
    fields = {
        column.field: column.default if read[column.key] is None else read[column.key]
        for column, _positions in columns.present
        if column.field and column.key in read
    }
    cup = fields.get("cup", "")
    if breach := rules.cup_format(cup):
        add("cup", breach.row_message)
    local_code = fields.get("local_code", "")[: Project._meta.get_field("local_code").max_length]
    if "local_code" in fields:
        fields["local_code"] = local_code  # a longer code is cut, not refused
    if not fields["title"] and "title" not in failed:
        add("title", _("manca il titolo del progetto"))
    for key in ("title", "summary", "description"):
        if key in fields and (message := rules.too_long(Project._meta.get_field(key), fields[key])):
            add(key, message)
    for breach in rules.dates_in_order(fields):
        add(breach.field, breach.row_message)

    funding: dict[str, Decimal] | None = None
    if columns.funding_keys:
        funding = {key.split(":", 1)[1]: read[key] for key in columns.funding_keys if read[key] is not None}
        if fields.get("total_cost") is None and funding:
            fields["total_cost"] = sum(funding.values(), Decimal("0"))

    codes: list[str] | None = None
    whole_area = False
    if columns.has("municipality_codes") or columns.has("municipality_names"):
        codes = read.get("municipality_codes") or []
        if read.get("municipality_names") is not None:  # read only when the row has no codes
            codes, whole_area = read["municipality_names"]
    if columns.has("whole_area"):
        whole_area = bool(read["whole_area"]) or whole_area
    if columns.has("whole_area") or codes is not None:
        fields["whole_area"] = whole_area
        breach = rules.place_required(codes, whole_area)
        if breach and failed.isdisjoint(PLACE_KEYS):
            key = next(key for key in PLACE_KEYS if columns.has(key))
            add(key, breach.row_message)

    objectives = (read["objectives"] or []) if columns.has("objectives") else None

    breach = rules.cup_required(cup, fields.get("status", Status.PLANNED))
    if breach and "cup" not in failed:
        errors.append(RowError(number, columns.labels.get("cup", "CUP"), breach.row_message))
    if not cup and not local_code:
        errors.append(
            RowError(
                number,
                columns.labels.get("local_code", columns.labels.get("cup", "CUP")),
                _("serve il CUP o il codice locale per riconoscere il progetto"),
            )
        )
    if errors:
        return None, errors
    return ParsedRow(number, fields, sorted(set(codes)) if codes is not None else None, funding, objectives), []
