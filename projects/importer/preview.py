"""The preview of an import: every row checked and matched to an existing project (by CUP, else by the
office's local code), to be created or updated, with every error; nothing is written here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from projects.importer import reading
from projects.importer.cells import Lookups
from projects.importer.columns import ColumnMap, map_columns, missing_columns
from projects.importer.errors import ImportFileError, RowError
from projects.importer.rows import ParsedRow, parse_row
from projects.models import Project

PREVIEW_ROWS = 200


@dataclass
class RowChange:
    """What one row of the file does: create a project, or update the one it matched."""

    row: int
    action: str  # "create" or "update"
    project_id: int | None
    fields: dict
    municipality_codes: list[str] | None  # None: the file has no municipality column, keep what is there
    funding: dict[str, Decimal] | None  # None: the file has no funding column
    objectives: list | None = None  # specific objectives; None: the file has no objectives column


@dataclass
class ImportPreview:
    """A checked file: the rows to create, the rows to update, and every error with its row and column."""

    rows: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_rows: int = 0

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def to_update(self) -> int:
        return sum(1 for row in self.rows if row.action == "update")

    @property
    def ok(self) -> bool:
        return not self.errors

    def first_rows(self) -> list[dict]:
        """The first rows as the import's page lists them."""
        return [
            {
                "row": row.row,
                "action": row.action,
                "cup": row.fields.get("cup", ""),
                "local_code": row.fields.get("local_code", ""),
                "title": row.fields.get("title", ""),
            }
            for row in self.rows[:PREVIEW_ROWS]
        ]


def read_import(data: bytes, *, office, progress: Callable[[int, int], None] | None = None) -> ImportPreview:
    """Read and check a whole file; a file that cannot be read gives a preview with one error."""
    try:
        header, rows = reading.read_table(data)
        return build_preview(header, rows, office=office, progress=progress)
    except ImportFileError as exc:
        return ImportPreview(errors=[RowError(0, "", str(exc))])


def build_preview(
    header: list,
    rows: list[tuple[int, list]],
    *,
    office,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPreview:
    """Check every row and decide create or update; nothing is written."""
    preview = ImportPreview(total_rows=len(rows))
    if len(rows) > reading.MAX_ROWS:  # read_table stops earlier; this guards rows from elsewhere
        raise reading.too_many_rows()
    columns = map_columns(header)
    preview.errors.extend(missing_columns(columns))
    if preview.errors:
        return preview
    if not rows:
        raise ImportFileError(_("Il file contiene solo l'intestazione: non ci sono righe di progetti."))
    if columns.ignored:
        preview.notes.append(
            _("Colonne non usate: %(names)s.") % {"names": ", ".join(f"«{name}»" for name in columns.ignored[:30])}
        )
    lookups = Lookups.load(objectives=columns.has("objectives"))
    parsed: list[ParsedRow] = []
    for count, (number, cells) in enumerate(rows, start=1):
        row, errors = parse_row(number, cells, columns, lookups)
        preview.errors.extend(errors)
        if row is not None:
            parsed.append(row)
        if progress and count % 500 == 0:
            progress(count, len(rows))
    _match(parsed, preview, office=office, columns=columns)
    if progress:
        progress(len(rows), len(rows))
    position = {str(name).strip(): index for index, name in enumerate(header)}
    preview.errors.sort(key=lambda error: (error.row, position.get(error.column, len(position))))
    return preview


def chunks(items: list, size: int = 900):
    """Slices of ``items``: 900 ids stay under SQLite's limit of variables per query."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match(parsed: list[ParsedRow], preview: ImportPreview, *, office, columns: ColumnMap) -> None:
    """Create or update: by CUP first, then by the office's local code; duplicates in the file are errors."""
    cups = sorted({row.fields.get("cup", "") for row in parsed} - {""})
    local_codes = sorted({row.fields.get("local_code", "") for row in parsed} - {""})
    by_cup: dict[str, tuple[int, int, str]] = {}
    for chunk in chunks(cups):
        for pk, cup, office_id, local_code in Project.objects.filter(cup__in=chunk).values_list(
            "pk", "cup", "office_id", "local_code"
        ):
            by_cup[cup] = (pk, office_id, local_code)
    by_code: dict[str, tuple[int, str]] = {}
    for chunk in chunks(local_codes):
        for pk, code, cup in Project.objects.filter(office=office, local_code__in=chunk).values_list(
            "pk", "local_code", "cup"
        ):
            by_code[code] = (pk, cup)
    seen_cup: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    seen_project: dict[int, int] = {}
    cup_label = columns.labels.get("cup", "CUP")
    code_label = columns.labels.get("local_code", "Codice locale")
    for row in parsed:
        number = row.number
        cup, code = row.fields.get("cup", ""), row.fields.get("local_code", "")
        errors = []
        if cup and cup in seen_cup:
            errors.append(
                RowError(
                    number,
                    cup_label,
                    _("CUP %(cup)s ripetuto: c'è già alla riga %(row)s") % {"cup": cup, "row": seen_cup[cup]},
                )
            )
        if code and code in seen_code:
            errors.append(
                RowError(
                    number,
                    code_label,
                    _("codice locale «%(code)s» ripetuto: c'è già alla riga %(row)s")
                    % {"code": code, "row": seen_code[code]},
                )
            )
        project_id = None
        if cup and cup in by_cup:
            project_id, office_id, existing_code = by_cup[cup]
            if office_id != office.pk:
                errors.append(
                    RowError(
                        number, cup_label, _("il CUP %(cup)s è già di un progetto di un altro ufficio") % {"cup": cup}
                    )
                )
            elif code and code != existing_code and code in by_code:
                # The project found by CUP would take a code the office already uses elsewhere.
                errors.append(
                    RowError(
                        number,
                        code_label,
                        _("il codice locale «%(code)s» è già di un altro progetto dell'ufficio") % {"code": code},
                    )
                )
        elif code and code in by_code:
            project_id, existing_cup = by_code[code]
            if cup and existing_cup and existing_cup != cup:
                errors.append(
                    RowError(
                        number,
                        cup_label,
                        _("il codice locale «%(code)s» è già di un progetto con un altro CUP (%(other)s)")
                        % {"code": code, "other": existing_cup},
                    )
                )
        if project_id is not None and project_id in seen_project and not errors:
            errors.append(
                RowError(
                    number,
                    cup_label if cup else code_label,
                    _("la riga aggiorna lo stesso progetto della riga %(row)s") % {"row": seen_project[project_id]},
                )
            )
        if cup:
            seen_cup.setdefault(cup, number)
        if code:
            seen_code.setdefault(code, number)
        if project_id is not None:
            seen_project.setdefault(project_id, number)
        if errors:
            preview.errors.extend(errors)
            continue
        preview.rows.append(
            RowChange(
                row=number,
                action="update" if project_id else "create",
                project_id=project_id,
                fields=row.fields,
                municipality_codes=row.municipality_codes,
                funding=row.funding,
                objectives=row.objectives,
            )
        )
