"""Reading an office's spreadsheet as it is, and checking it row by row (no database writes here).

``read_table`` turns the bytes of a CSV or XLSX file into a header and rows, whatever the
separator or the encoding; ``build_plan`` maps the columns (our template, OpenCoesione,
PNRR/Italia Domani), converts Italian numbers and dates, resolves municipalities and
matches each row to an existing project (by CUP, else by local code). The result is an
``ImportPlan``: the rows to create, the rows to update, and every error with its row,
column and an Italian message. ``projects.services.import_plan_apply`` writes a plan.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import rules
from projects.models import FundingSource, Priority, Project, Status
from projects.objectives import ObjectiveIndex, split_codes
from psm_portal.lib.money import format_number
from psm_portal.lib.text import fold

MAX_ROWS = 20_000
MAX_AMOUNT = Decimal("9999999999999.99")
PREVIEW_ROWS = 200


class ImportFileError(Exception):
    """The file as a whole cannot be read: empty, not a spreadsheet, wrong encoding, too many rows."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RowPlan:
    row: int
    action: str  # "create" or "update"
    project_id: int | None
    fields: dict
    municipality_codes: list[str] | None  # None: the file has no municipality column, keep what is there
    funding: dict[str, Decimal] | None  # None: the file has no funding column
    objectives: list | None = None  # specific objectives; None: the file has no objectives column


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
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

    def preview(self) -> list[dict]:
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


# --- Columns -------------------------------------------------------------------------------------


def header_key(name) -> str:
    """ "Titolo Progetto", "TITOLO_PROGETTO" and "titolo progetto " → "titolo_progetto"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(str(name or ""))).strip("_")


@dataclass(frozen=True)
class Column:
    key: str  # canonical field
    label: str  # the name in our template
    aliases: tuple[str, ...]  # OpenCoesione, PNRR and usual variants
    help: str = ""


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

COLUMNS: list[Column] = [
    Column(
        "local_code",
        "Codice locale",
        ("COD_LOCALE_PROGETTO", "Codice Locale Progetto", "Codice progetto", "ID progetto"),
    ),
    Column("cup", "CUP", ("Codice CUP", "COD_CUP", "Codice Unico di Progetto")),
    Column("title", "Titolo", ("OC_TITOLO_PROGETTO", "Titolo Progetto", "Titolo del progetto", "Denominazione")),
    Column("summary", "Sintesi", ("OC_SINTESI_PROGETTO", "Sintesi Progetto", "Descrizione breve")),
    Column("description", "Descrizione", ("Descrizione Progetto", "Descrizione del progetto")),
    Column("status", "Stato", ("OC_STATO_PROGETTO", "Stato Progetto", "Stato del progetto", "Stato avanzamento")),
    Column("priority", "Priorità", ("Priorita",)),
    Column(
        "municipality_codes",
        "Codici ISTAT dei comuni",
        ("COD_COMUNE", "Codice Comune", "Codice ISTAT Comune", "Codice ISTAT", "Codici ISTAT"),
    ),
    Column("municipality_names", "Comuni", ("DEN_COMUNE", "Comune", "Descrizione Comune", "Denominazione Comune")),
    Column("whole_area", "Intera area metropolitana", ("Area metropolitana",)),
    Column("objectives", "Codici obiettivo", ("Obiettivi", "Codici obiettivi", "Obiettivo")),
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
    ),
    *[Column(f"funding:{source}", label, FUNDING_ALIASES[source]) for source, label in FUNDING_LABELS.items()],
    Column(
        "planned_start",
        "Inizio previsto",
        (
            "OC_DATA_INIZIO_PROGETTO_PREVISTA",
            "DATA_INIZIO_PREVISTA",
            "Data di Inizio Progetto Prevista",
            "Data inizio prevista",
        ),
    ),
    Column(
        "planned_end",
        "Fine prevista",
        (
            "OC_DATA_FINE_PROGETTO_PREVISTA",
            "DATA_FINE_PREVISTA",
            "Data di Fine Progetto Prevista",
            "Data fine prevista",
        ),
    ),
    Column(
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
    Column(
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
ALIAS_TO_KEY: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.label, _column.key, *_column.aliases):
        ALIAS_TO_KEY.setdefault(header_key(_name), _column.key)
TEMPLATE_HEADER = [column.label for column in COLUMNS]


@dataclass
class ColumnMap:
    """Which position of the file feeds each canonical field (several for summed funding)."""

    positions: dict[str, list[int]]
    labels: dict[str, str]  # canonical key → the file's own header, for error messages
    ignored: list[str]

    def has(self, key: str) -> bool:
        return key in self.positions

    @property
    def funding_keys(self) -> list[str]:
        return [key for key in self.positions if key.startswith("funding:")]


def map_columns(header: list) -> ColumnMap:
    positions: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = ALIAS_TO_KEY.get(header_key(name))
        if key is None:
            if str(name or "").strip():
                ignored.append(str(name).strip())
            continue
        if key in positions and not key.startswith("funding:"):
            ignored.append(str(name).strip())  # the first column for a field wins
            continue
        positions.setdefault(key, []).append(index)
        labels.setdefault(key, str(name).strip())
    return ColumnMap(positions, labels, ignored)


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


# --- Reading the file ----------------------------------------------------------------------------

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


def _too_many_rows() -> ImportFileError:
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
        if any(not _blank(cell) for cell in cells):
            filled += 1
            if filled > MAX_ROWS + 1:
                raise _too_many_rows()
    return numbered


def _split_header(numbered: list[tuple[int, list]]) -> tuple[list, list[tuple[int, list]]]:
    rows = [(number, cells) for number, cells in numbered if any(_blank(cell) is False for cell in cells)]
    if not rows:
        raise ImportFileError(_("Il file è vuoto."))
    (_number, header), *body = rows
    return list(header), body


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_xlsx(data: bytes) -> tuple[list, list[tuple[int, list]]]:
    from openpyxl import load_workbook

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
            if not any(not _blank(cell) for _n, cells in numbered for cell in cells):
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


# --- Cell values ---------------------------------------------------------------------------------


class CellError(ValueError):
    pass


FORMULA_RE = re.compile(r"^(=|@|[+-][^\d\s.,])")


def text_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if FORMULA_RE.match(text):
        raise CellError(
            _("la cella contiene una formula (%(text)s): scrivi il valore, non la formula") % {"text": text[:40]}
        )
    if text.startswith("'"):  # how a spreadsheet (and our open data) protects a leading sign
        text = text[1:].strip()
    return text


def parse_amount(value) -> Decimal | None:
    if isinstance(value, bool):
        raise CellError(_("non è un importo"))
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = text_cell(value).replace("€", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if not re.fullmatch(r"-?[0-9.,]+", text) or not re.search(r"\d", text):
            raise CellError(_("«%(text)s» non è un importo: scrivi per esempio 1.234.567,89") % {"text": text[:40]})
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif "," in text:
            text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
        elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
            text = text.replace(".", "")  # "1.234" is one thousand two hundred thirty-four
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(_("«%(text)s» non è un importo") % {"text": text[:40]})
    if amount < 0:
        raise CellError(_("l'importo è negativo (%(amount)s)") % {"amount": format_number(amount, 2)})
    if amount > MAX_AMOUNT:
        raise CellError(_("l'importo è troppo grande"))
    return amount.quantize(Decimal("0.01"))


DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),  # OpenCoesione: 20230115
]


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    text = text_cell(value)
    if not text:
        return None
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                parsed = date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise CellError(_("la data %(text)s non esiste") % {"text": text})
            if not 1950 <= parsed.year <= 2100:
                raise CellError(_("la data %(text)s è fuori dagli anni possibili (1950–2100)") % {"text": text})
            return parsed
    raise CellError(_("«%(text)s» non è una data: scrivila come gg/mm/aaaa") % {"text": text[:40]})


STATUS_WORDS = {
    Status.IDEA: ("idea", "proposta"),
    Status.PLANNED: ("programmato", "pianificato", "non avviato", "da avviare", "previsto", "planned"),
    Status.DESIGNED: ("progettato", "in progettazione", "progettazione", "progetto esecutivo", "designed"),
    Status.FUNDED: ("finanziato", "ammesso a finanziamento", "funded"),
    Status.IN_PROGRESS: ("in corso", "avviato", "in esecuzione", "in_progress", "in attuazione"),
    Status.COMPLETED: ("concluso", "completato", "liquidato", "eseguito", "terminato", "completed"),
    Status.SUSPENDED: ("sospeso", "suspended", "interrotto"),
}
STATUS_BY_WORD = {fold(word): status for status, words in STATUS_WORDS.items() for word in words}
STATUS_BY_WORD.update({fold(str(label)): value for value, label in Status.choices})


def parse_status(value) -> str | None:
    text = text_cell(value)
    if not text:
        return None
    status = STATUS_BY_WORD.get(fold(text))
    if status is None:
        raise CellError(
            _("stato «%(text)s» sconosciuto: usa uno di %(choices)s")
            % {"text": text[:40], "choices": ", ".join(str(label) for _v, label in Status.choices)}
        )
    return status


PRIORITY_BY_WORD = {"1": Priority.HIGH, "alta": Priority.HIGH, "2": Priority.MEDIUM, "media": Priority.MEDIUM}
PRIORITY_BY_WORD.update({"3": Priority.LOW, "bassa": Priority.LOW})


def parse_priority(value) -> int | None:
    text = fold(text_cell(value))
    if not text:
        return None
    if text not in PRIORITY_BY_WORD:
        raise CellError(_("priorità «%(text)s» sconosciuta: usa alta, media o bassa") % {"text": text[:40]})
    return int(PRIORITY_BY_WORD[text])


YES = {"si", "sì", "s", "x", "1", "vero", "true", "yes"}
NO = {"no", "n", "0", "falso", "false", ""}


def parse_flag(value) -> bool:
    text = fold(text_cell(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("scrivi «sì» oppure «no»"))


WHOLE_AREA_WORDS = {"intera area metropolitana", "area metropolitana", "tutti i comuni", "tutti", "citta metropolitana"}


def name_key(name: str) -> str:
    """ "ALI' TERME", "Alì Terme" and "ali-terme" → "aliterme" (OpenCUP writes accents as apostrophes)."""
    folded = re.sub(r"'(?=\s|$|-)", "", fold(name))
    return re.sub(r"[^a-z0-9]", "", folded)


class MunicipalityIndex:
    """The 108 comuni, found by ISTAT code (6 or 9 digits, leading zeros lost or not) or by name."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self.codes = {code for code, _name in pairs}
        self.by_name = {name_key(name): code for code, name in pairs}

    @classmethod
    def load(cls) -> MunicipalityIndex:
        from municipalities.models import Municipality

        return cls(list(Municipality.objects.values_list("istat_code", "name")))

    def by_codes(self, value) -> list[str]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        found, unknown = [], []
        for part in re.split(r":::|[;,|\s]+", text_cell(value)):
            if not part:
                continue
            code = part.zfill(6) if part.isdigit() and len(part) <= 6 else part
            if part.isdigit() and len(part) == 9:  # OpenCoesione: region + province + comune
                code = part[3:]
            (found if code in self.codes else unknown).append(code if code in self.codes else part)
        if unknown:
            raise CellError(
                _("comune sconosciuto: codice ISTAT %(codes)s (non è uno dei 108 comuni della Città Metropolitana)")
                % {"codes": ", ".join(f"«{c}»" for c in unknown)}
            )
        return found

    def by_names(self, value) -> tuple[list[str], bool]:
        found, unknown, whole = [], [], False
        for part in re.split(r":::|[;|]+|,", text_cell(value)):
            part = part.strip()
            if not part:
                continue
            if fold(part) in WHOLE_AREA_WORDS:
                whole = True
                continue
            code = self.by_name.get(name_key(part))
            (found.append(code) if code else unknown.append(part))
        if unknown:
            raise CellError(
                _("comune sconosciuto: %(names)s (non è uno dei 108 comuni della Città Metropolitana)")
                % {"names": ", ".join(f"«{n}»" for n in unknown)}
            )
        return found, whole


# --- Building the plan ---------------------------------------------------------------------------


def _cell(cells: list, positions: list[int]):
    values = [cells[i] if i < len(cells) else None for i in positions]
    return values[0] if len(values) == 1 else values


def build_plan(
    header: list,
    rows: list[tuple[int, list]],
    *,
    office,
    municipalities: MunicipalityIndex | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Check every row and decide create or update; nothing is written."""
    plan = ImportPlan(total_rows=len(rows))
    if len(rows) > MAX_ROWS:  # read_table stops earlier; this guards rows from elsewhere
        raise _too_many_rows()
    columns = map_columns(header)
    plan.errors.extend(missing_columns(columns))
    if plan.errors:
        return plan
    if not rows:
        raise ImportFileError(_("Il file contiene solo l'intestazione: non ci sono righe di progetti."))
    if columns.ignored:
        plan.notes.append(
            _("Colonne non usate: %(names)s.") % {"names": ", ".join(f"«{name}»" for name in columns.ignored[:30])}
        )
    municipalities = municipalities or MunicipalityIndex.load()
    objective_index = ObjectiveIndex.load() if columns.has("objectives") else None
    parsed: list[tuple[int, dict]] = []
    for count, (number, cells) in enumerate(rows, start=1):
        values, errors = _parse_row(number, cells, columns, municipalities, objective_index)
        plan.errors.extend(errors)
        if not errors:
            parsed.append((number, values))
        if progress and count % 500 == 0:
            progress(count, len(rows))
    _match(parsed, plan, office=office, columns=columns)
    if progress:
        progress(len(rows), len(rows))
    position = {str(name).strip(): index for index, name in enumerate(header)}
    plan.errors.sort(key=lambda error: (error.row, position.get(error.column, len(position))))
    return plan


def _parse_row(
    number: int,
    cells: list,
    columns: ColumnMap,
    municipalities: MunicipalityIndex,
    objective_index: ObjectiveIndex | None,  # loaded by build_plan whenever the file has the objectives column
):
    values: dict = {}
    errors: list[RowError] = []

    def read(key: str, parser):
        if not columns.has(key):
            return None
        try:
            raw = _cell(cells, columns.positions[key])
            if isinstance(raw, list):  # several columns feed one field (summed funding)
                amounts = [parser(item) for item in raw]
                present = [a for a in amounts if a is not None]
                return sum(present, Decimal("0")) if present else None
            return parser(raw)
        except CellError as exc:
            errors.append(RowError(number, columns.labels[key], str(exc)))
            return None

    cup = rules.normal_cup(read("cup", text_cell) or "")
    if breach := rules.cup_format(cup):
        errors.append(RowError(number, columns.labels["cup"], breach.row_message))
    local_code = (read("local_code", text_cell) or "")[:60]
    # A file without the column says nothing about the field: an update keeps what the project has.
    if columns.has("cup"):
        values["cup"] = cup
    if columns.has("local_code"):
        values["local_code"] = local_code
    title = read("title", text_cell) or ""
    if not title and not any(e.column == columns.labels["title"] for e in errors):
        errors.append(RowError(number, columns.labels["title"], _("manca il titolo del progetto")))
    if message := rules.too_long(Project._meta.get_field("title"), title):
        errors.append(RowError(number, columns.labels["title"], message))
    values["title"] = title
    for key in ("summary", "description"):
        if columns.has(key):
            text = read(key, text_cell) or ""
            if message := rules.too_long(Project._meta.get_field(key), text):
                errors.append(RowError(number, columns.labels[key], message))
            values[key] = text
    if columns.has("status"):
        values["status"] = read("status", parse_status) or Status.PLANNED
    if columns.has("priority"):
        values["priority"] = read("priority", parse_priority) or Priority.MEDIUM
    for key in ("planned_start", "planned_end", "actual_start", "actual_end"):
        if columns.has(key):
            values[key] = read(key, parse_date)
    for breach in rules.dates_in_order(values):
        errors.append(RowError(number, columns.labels[breach.field], breach.row_message))
    if columns.has("total_cost"):
        values["total_cost"] = read("total_cost", parse_amount)
    funding: dict[str, Decimal] | None = None
    if columns.funding_keys:
        funding = {}
        for key in columns.funding_keys:
            amount = read(key, parse_amount)
            if amount is not None:
                funding[key.split(":", 1)[1]] = amount
        if values.get("total_cost") is None and funding:
            values["total_cost"] = sum(funding.values(), Decimal("0"))
    codes: list[str] | None = None
    whole_area = False
    if columns.has("municipality_codes") or columns.has("municipality_names"):
        codes = []
        raw_codes = _cell(cells, columns.positions["municipality_codes"]) if columns.has("municipality_codes") else None
        if not _blank(raw_codes):
            codes = read("municipality_codes", municipalities.by_codes) or []
        elif columns.has("municipality_names"):
            found = read("municipality_names", municipalities.by_names)
            if found:
                codes, whole_area = found
    if columns.has("whole_area"):
        whole_area = bool(read("whole_area", parse_flag)) or whole_area
    if columns.has("whole_area") or codes is not None:
        values["whole_area"] = whole_area
    if codes is not None or columns.has("whole_area"):
        if (
            not codes
            and not whole_area
            and not any(
                e.column in {columns.labels.get(k) for k in ("municipality_codes", "municipality_names", "whole_area")}
                for e in errors
            )
        ):
            column = columns.labels.get("municipality_codes") or columns.labels.get("municipality_names")
            errors.append(
                RowError(number, column or columns.labels["whole_area"], rules.place_required([], False).row_message)
            )
    objectives: list | None = None
    if columns.has("objectives"):
        codes_text = read("objectives", text_cell) or ""
        objectives, objective_errors = objective_index.resolve(split_codes(codes_text))
        errors.extend(RowError(number, columns.labels["objectives"], message) for message in objective_errors)
    breach = rules.cup_required(cup, values.get("status", Status.PLANNED))
    if breach and not any(e.column == columns.labels.get("cup") for e in errors):
        errors.append(RowError(number, columns.labels.get("cup", "CUP"), breach.row_message))
    if not cup and not local_code:
        errors.append(
            RowError(
                number,
                columns.labels.get("local_code", columns.labels.get("cup", "CUP")),
                _("serve il CUP o il codice locale per riconoscere il progetto"),
            )
        )
    values["_codes"] = sorted(set(codes)) if codes is not None else None
    values["_funding"] = funding
    values["_objectives"] = objectives
    return values, errors


def chunks(items: list, size: int = 900):
    """Slices of ``items``: 900 ids stay under SQLite's limit of variables per query."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match(parsed: list[tuple[int, dict]], plan: ImportPlan, *, office, columns: ColumnMap) -> None:
    """Create or update: by CUP first, then by the office's local code; duplicates in the file are errors."""
    cups = sorted({values.get("cup", "") for _n, values in parsed} - {""})
    local_codes = sorted({values.get("local_code", "") for _n, values in parsed} - {""})
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
    for number, values in parsed:
        cup, code = values.get("cup", ""), values.get("local_code", "")
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
            plan.errors.extend(errors)
            continue
        codes = values.pop("_codes")
        funding = values.pop("_funding")
        objectives = values.pop("_objectives")
        plan.rows.append(
            RowPlan(
                row=number,
                action="update" if project_id else "create",
                project_id=project_id,
                fields=values,
                municipality_codes=codes,
                funding=funding,
                objectives=objectives,
            )
        )


def plan_from_bytes(data: bytes, *, office, progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """Read and check a whole file; a file that cannot be read gives a plan with one error."""
    try:
        header, rows = read_table(data)
        return build_plan(header, rows, office=office, progress=progress)
    except ImportFileError as exc:
        return ImportPlan(errors=[RowError(0, "", str(exc))])
