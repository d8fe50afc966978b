"""The columns an import knows: their names in our template, in OpenCoesione and in PNRR (Italia Domani)
exports, how each cell is read and which field of the project it fills; and the mapping of a file's header
onto them (``map_columns``), with the columns a file cannot do without (``missing_columns``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from projects.choices import FundingSource, Priority, Status
from projects.importer.cells import (
    Lookups,
    municipality_codes,
    municipality_names,
    objective_codes,
    parse_amount,
    parse_cup,
    parse_date,
    parse_flag,
    parse_priority,
    parse_status,
    text_cell,
)
from projects.importer.errors import RowError
from psm_portal.lib.text import fold

Parser = Callable[[object, Lookups], object]


def plain(parse: Callable[[object], object]) -> Parser:
    """A cell parser that needs no reference data, in the shape of the table's parsers."""

    def read(value, lookups: Lookups):
        return parse(value)

    return read


def header_key(name) -> str:
    """ "Titolo Progetto", "TITOLO_PROGETTO" and "titolo progetto " → "titolo_progetto"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(str(name or ""))).strip("_")


@dataclass(frozen=True)
class Column:
    key: str  # canonical name: a project field, "funding:<source>", or a relation
    label: str  # the name in our template
    aliases: tuple[str, ...]  # OpenCoesione, PNRR and usual variants
    parse: Parser = plain(text_cell)  # cell → value, or CellError
    field: str | None = None  # the project field the value fills
    default: object = None  # the field's value when the cell is empty or wrong
    unless: str | None = None  # read only when the row leaves this other column's cell empty


FUNDING_LABELS = {
    FundingSource.PNRR: "Finanziamento PNRR",
    FundingSource.EU_COHESION: "Finanziamento fondi europei di coesione",
    FundingSource.FSC: "Finanziamento FSC",
    FundingSource.STATE: "Finanziamento Stato",
    FundingSource.REGION: "Finanziamento Regione",
    FundingSource.METRO_CITY: "Finanziamento Città Metropolitana",
    FundingSource.MUNICIPALITY: "Finanziamento comune",
    FundingSource.PRIVATE: "Finanziamento privati",
    FundingSource.TO_BE_FOUND: "Finanziamento da reperire",
}
FUNDING_ALIASES = {
    FundingSource.PNRR: ("FINANZ_PNRR", "Importo PNRR", "Finanziamento PNRR Totale"),
    FundingSource.EU_COHESION: ("FINANZ_UE", "Finanziamento UE", "Finanziamento UE (diverso da PNRR)", "Fondi UE"),
    FundingSource.FSC: ("FINANZ_STATO_FSC", "Finanziamento Fondo Sviluppo e Coesione", "FSC"),
    FundingSource.STATE: (
        "FINANZ_STATO_FONDO_DI_ROTAZIONE",
        "FINANZ_STATO_ALTRI_PROVVEDIMENTI",
        "FINANZ_STATO_ESTERO",
        "Finanziamento Stato (diverso da PNRR)",
        "Finanziamento Stato Fondo di Rotazione",
        "Finanziamento Altri Fondi Statali",
    ),
    FundingSource.REGION: ("FINANZ_REGIONE", "Finanziamento Regionale"),
    FundingSource.METRO_CITY: (
        "FINANZ_PROVINCIA",
        "Finanziamento Provincia",
        "Finanziamento Città Metropolitana",
        "Finanziamento CM",
    ),
    FundingSource.MUNICIPALITY: ("FINANZ_COMUNE", "Finanziamento Comunale"),
    FundingSource.PRIVATE: ("FINANZ_PRIVATO", "Finanziamento Privato", "Finanziamento Privati"),
    FundingSource.TO_BE_FOUND: ("FINANZ_DA_REPERIRE", "Finanziamento Da Reperire", "Da reperire"),
}


def _date_column(key: str, label: str, aliases: tuple[str, ...]) -> Column:
    return Column(key, label, aliases, plain(parse_date), field=key)


COLUMNS: list[Column] = [
    Column(
        "local_code",
        "Codice locale",
        ("COD_LOCALE_PROGETTO", "Codice Locale Progetto", "Codice progetto", "ID progetto"),
        field="local_code",
        default="",
    ),
    Column(
        "cup", "CUP", ("Codice CUP", "COD_CUP", "Codice Unico di Progetto"), plain(parse_cup), field="cup", default=""
    ),
    Column(
        "title",
        "Titolo",
        ("OC_TITOLO_PROGETTO", "Titolo Progetto", "Titolo del progetto", "Denominazione"),
        field="title",
        default="",
    ),
    Column(
        "summary",
        "Sintesi",
        ("OC_SINTESI_PROGETTO", "Sintesi Progetto", "Descrizione breve"),
        field="summary",
        default="",
    ),
    Column(
        "description",
        "Descrizione",
        ("Descrizione Progetto", "Descrizione del progetto"),
        field="description",
        default="",
    ),
    Column(
        "status",
        "Stato",
        ("OC_STATO_PROGETTO", "Stato Progetto", "Stato del progetto", "Stato avanzamento"),
        plain(parse_status),
        field="status",
        default=Status.PLANNED,
    ),
    Column("priority", "Priorità", ("Priorita",), plain(parse_priority), field="priority", default=Priority.MEDIUM),
    Column(
        "municipality_codes",
        "Codici ISTAT dei comuni",
        ("COD_COMUNE", "Codice Comune", "Codice ISTAT Comune", "Codice ISTAT", "Codici ISTAT"),
        municipality_codes,
    ),
    Column(
        "municipality_names",
        "Comuni",
        ("DEN_COMUNE", "Comune", "Descrizione Comune", "Denominazione Comune"),
        municipality_names,
        unless="municipality_codes",  # the codes, when the row has them, win over the names
    ),
    Column("whole_area", "Intera area metropolitana", ("Area metropolitana",), plain(parse_flag)),
    Column("objectives", "Codici obiettivo", ("Obiettivi", "Codici obiettivi", "Obiettivo"), objective_codes),
    Column(
        "total_cost",
        "Costo totale",
        (
            "Finanziamento Totale",
            "FINANZ_TOTALE_PUBBLICO",
            "OC_FINANZ_TOT_PUB_NETTO",
            "Costo complessivo",
            "Importo totale",
            "Costo",
        ),
        plain(parse_amount),
        field="total_cost",
    ),
    *[
        Column(f"funding:{source}", label, FUNDING_ALIASES[source], plain(parse_amount))
        for source, label in FUNDING_LABELS.items()
    ],
    _date_column(
        "planned_start",
        "Inizio previsto",
        (
            "OC_DATA_INIZIO_PROGETTO_PREVISTA",
            "DATA_INIZIO_PREVISTA",
            "Data di Inizio Progetto Prevista",
            "Data inizio prevista",
        ),
    ),
    _date_column(
        "planned_end",
        "Fine prevista",
        (
            "OC_DATA_FINE_PROGETTO_PREVISTA",
            "DATA_FINE_PREVISTA",
            "Data di Fine Progetto Prevista",
            "Data fine prevista",
        ),
    ),
    _date_column(
        "actual_start",
        "Inizio effettivo",
        (
            "OC_DATA_INIZIO_PROGETTO",
            "DATA_INIZIO_EFFETTIVA",
            "Data di Inizio Progetto Effettiva",
            "Data di Inizio Progetto",
            "Data inizio",
        ),
    ),
    _date_column(
        "actual_end",
        "Fine effettiva",
        (
            "OC_DATA_FINE_PROGETTO_EFFETTIVA",
            "DATA_FINE_EFFETTIVA",
            "Data di Fine Progetto Effettiva",
            "Data di Fine Progetto",
            "Data fine",
        ),
    ),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def alias_index(table: list[Column]) -> dict[str, str]:
    """Every name a column of ``table`` may have in a header (``header_key`` form) → the column's key."""
    index: dict[str, str] = {}
    for column in table:
        for name in (column.label, column.key, *column.aliases):
            index.setdefault(header_key(name), column.key)
    return index


ALIAS_TO_KEY = alias_index(COLUMNS)


@dataclass
class ColumnMap:
    """Which position of the file feeds each canonical field (several for summed funding)."""

    positions: dict[str, list[int]]
    labels: dict[str, str]  # canonical key → the file's own header, for error messages
    ignored: list[str]
    table: list[Column] = field(default_factory=lambda: COLUMNS)  # the columns known (another importer's own)

    def has(self, key: str) -> bool:
        return key in self.positions

    @cached_property
    def present(self) -> list[tuple[Column, list[int]]]:
        """The table's columns this file has, in the table's order, with their positions."""
        return [(column, self.positions[column.key]) for column in self.table if column.key in self.positions]

    @cached_property
    def funding_keys(self) -> list[str]:
        return [key for key in self.positions if key.startswith("funding:")]


def map_columns(header: list, table: list[Column] | None = None, aliases: dict[str, str] | None = None) -> ColumnMap:
    """The file's ``header`` mapped onto the projects' columns, or onto another ``table`` (with its ``aliases``,
    from ``alias_index``: the monitoring importer of ``implementation`` reuses this machinery)."""
    table = COLUMNS if table is None else table
    aliases = ALIAS_TO_KEY if table is COLUMNS else (aliases or alias_index(table))
    positions: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = aliases.get(header_key(name))
        if key is None:
            if str(name or "").strip():
                ignored.append(str(name).strip())
            continue
        if key in positions and not key.startswith("funding:"):
            ignored.append(str(name).strip())  # the first column for a field wins
            continue
        positions.setdefault(key, []).append(index)
        labels.setdefault(key, str(name).strip())
    return ColumnMap(positions, labels, ignored, table)


def missing_columns(columns: ColumnMap) -> list[RowError]:
    def names(key: str) -> str:
        column = COLUMN_BY_KEY[key]
        return ", ".join([f"«{column.label}»", *(f"«{alias}»" for alias in column.aliases[:2])])

    errors = []
    if not columns.has("title"):
        errors.append(
            RowError(1, "Titolo", _("Manca la colonna del titolo: chiamala %(names)s.") % {"names": names("title")})
        )
    if not (columns.has("cup") or columns.has("local_code")):
        errors.append(
            RowError(
                1,
                "CUP",
                _("Manca una colonna per riconoscere i progetti: serve %(cup)s oppure %(code)s.")
                % {"cup": names("cup"), "code": names("local_code")},
            )
        )
    if not (columns.has("municipality_codes") or columns.has("municipality_names") or columns.has("whole_area")):
        errors.append(
            RowError(
                1,
                "Comuni",
                _("Manca la colonna dei comuni: serve %(codes)s, %(names)s oppure «Intera area metropolitana».")
                % {"codes": names("municipality_codes"), "names": names("municipality_names")},
            )
        )
    return errors
