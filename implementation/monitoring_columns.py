"""The columns of a monitoring file as OpenCoesione, PNRR/ReGiS and our own sheets name them, and the parsers of
the cells the project importer does not have (a percentage, a state of progress, a funding source); amounts, dates
and CUPs are read by ``projects.importer.cells``. Used by ``implementation.importer``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from implementation.models import Progress
from projects.choices import FundingSource
from projects.importer import CellError
from projects.importer.cells import STATUS_BY_WORD, parse_amount, parse_cup, parse_date, text_cell
from projects.importer.columns import (
    FUNDING_ALIASES,
    FUNDING_LABELS,
    Column,
    alias_index,
    header_key,
    map_columns,
    plain,
)
from psm_portal.lib.text import fold

# --- Cells ----------------------------------------------------------------------------------------------------------


def parse_percent(value) -> int | None:
    """«45», «45%», «45,5» or an Excel percentage cell (0.45): a whole number from 0 to 100."""
    if isinstance(value, bool):
        raise CellError(_("non è una percentuale"))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        if not number.is_finite():
            raise CellError(_("la percentuale di completamento va da 0 a 100"))
        if isinstance(value, float) and 0 < number < 1:
            number *= 100  # a cell formatted as a percentage holds the fraction
    else:
        text = text_cell(value).replace("%", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("«%(text)s» non è una percentuale: scrivi un numero da 0 a 100") % {"text": text[:40]})
    if not number.is_finite() or not 0 <= number <= 100:
        raise CellError(_("la percentuale di completamento va da 0 a 100"))
    return int(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


STATUS_TO_PROGRESS = {
    "idea": Progress.NOT_STARTED,
    "planned": Progress.NOT_STARTED,
    "designed": Progress.NOT_STARTED,
    "funded": Progress.NOT_STARTED,
    "in_progress": Progress.ON_TRACK,
    "completed": Progress.COMPLETED,
    "suspended": Progress.SUSPENDED,
}
PROGRESS_WORDS = {
    "in ritardo": Progress.DELAYED,
    "ritardo": Progress.DELAYED,
    "in corso in ritardo": Progress.DELAYED,
    "nei tempi": Progress.ON_TRACK,
    "in corso nei tempi": Progress.ON_TRACK,
    **{fold(str(label)).replace(",", ""): value for value, label in Progress.choices},
}


def parse_progress(value) -> str | None:
    """Our states, OpenCoesione's («In corso», «Concluso», «Liquidato», «Non avviato») and the project statuses."""
    text = text_cell(value)
    if not text:
        return None
    word = fold(text).replace(",", "")
    if word in PROGRESS_WORDS:
        return PROGRESS_WORDS[word]
    status = STATUS_BY_WORD.get(fold(text))
    if status is None:
        raise CellError(
            _("stato «%(text)s» sconosciuto: usa uno di %(choices)s")
            % {"text": text[:40], "choices": ", ".join(str(label) for _value, label in Progress.choices)}
        )
    return STATUS_TO_PROGRESS[str(status)]


SOURCE_BY_NAME: dict[str, str] = {}
for _source in FundingSource:
    for _name in (_source.value, _source.label, FUNDING_LABELS[_source], *FUNDING_ALIASES[_source]):
        SOURCE_BY_NAME.setdefault(header_key(_name), _source.value)
        SOURCE_BY_NAME.setdefault(header_key(str(_name)).removeprefix("finanziamento_"), _source.value)


def parse_source(value) -> str | None:
    text = text_cell(value)
    if not text:
        return None
    source = SOURCE_BY_NAME.get(header_key(text))
    if source is None:
        raise CellError(
            _("fonte «%(text)s» sconosciuta: usa una di %(choices)s")
            % {"text": text[:40], "choices": ", ".join(str(label) for _value, label in FundingSource.choices)}
        )
    return source


# --- Columns --------------------------------------------------------------------------------------------------------

COLUMNS: list[Column] = [
    Column("cup", "CUP", ("Codice CUP", "COD_CUP", "Codice Unico di Progetto"), plain(parse_cup)),
    Column("local_code", "Codice locale", ("COD_LOCALE_PROGETTO", "Codice Locale Progetto", "Codice progetto")),
    Column("title", "Titolo", ("OC_TITOLO_PROGETTO", "Titolo Progetto", "Titolo del progetto")),
    Column(
        "cost",
        "Costo totale",
        (
            "OC_FINANZ_TOT_PUB_NETTO",
            "FINANZ_TOTALE_PUBBLICO",
            "Finanziamento Totale",
            "Finanziamento Totale Pubblico",
            "Costo complessivo",
            "Importo finanziato",
        ),
        plain(parse_amount),
    ),
    Column(
        "committed",
        "Impegnato",
        (
            "IMPEGNI",
            "OC_IMPEGNI",
            "Impegni",
            "Totale impegni",
            "Importo impegni",
            "Importo impegnato",
            "Impegni giuridicamente vincolanti",
        ),
        plain(parse_amount),
    ),
    Column(
        "paid",
        "Pagato",
        (
            "TOT_PAGAMENTI",
            "OC_TOT_PAGAMENTI",
            "Pagamenti",
            "Totale pagamenti",
            "Importo pagamenti",
            "Importo pagato",
            "Pagamenti effettuati",
        ),
        plain(parse_amount),
    ),
    Column(
        "percent",
        "Avanzamento (%)",
        (
            "Avanzamento",
            "Percentuale di avanzamento",
            "Percentuale di completamento",
            "Avanzamento fisico",
            "Avanzamento fisico (%)",
            "Stato di avanzamento (%)",
        ),
        plain(parse_percent),
    ),
    Column(
        "progress",
        "Stato",
        ("OC_STATO_PROGETTO", "Stato progetto", "Stato del progetto", "Stato di attuazione", "Stato avanzamento"),
        plain(parse_progress),
    ),
    Column(
        "planned_start",
        "Inizio previsto",
        ("OC_DATA_INIZIO_PROGETTO_PREVISTA", "DATA_INIZIO_PREVISTA", "Data di Inizio Progetto Prevista"),
        plain(parse_date),
    ),
    Column(
        "planned_end",
        "Fine prevista",
        ("OC_DATA_FINE_PROGETTO_PREVISTA", "DATA_FINE_PREVISTA", "Data di Fine Progetto Prevista"),
        plain(parse_date),
    ),
    Column(
        "actual_start",
        "Inizio effettivo",
        (
            "OC_DATA_INIZIO_PROGETTO",
            "OC_DATA_INIZIO_PROGETTO_EFFETTIVA",
            "DATA_INIZIO_EFFETTIVA",
            "Data di Inizio Progetto Effettiva",
            "Data inizio effettiva",
        ),
        plain(parse_date),
    ),
    Column(
        "actual_end",
        "Fine effettiva",
        (
            "OC_DATA_FINE_PROGETTO_EFFETTIVA",
            "DATA_FINE_EFFETTIVA",
            "Data di Fine Progetto Effettiva",
            "Data fine effettiva",
        ),
        plain(parse_date),
    ),
    Column("source", "Fonte", ("Fonte di finanziamento", "Fonte finanziamento"), plain(parse_source)),
    Column("note", "Nota", ("Note", "Nota di monitoraggio")),
]
ALIASES = alias_index(COLUMNS)
MONITORED = ("committed", "paid", "percent", "progress", "actual_start", "actual_end")


def is_monitoring_sheet(header: list) -> bool:
    """The sheet of a workbook with the monitoring data (not the instructions)."""
    columns = map_columns(header, COLUMNS, ALIASES)
    return any(columns.has(key) for key in MONITORED)
