"""Cell values as offices write them: text without formulas, CUPs, Italian amounts and dates, statuses,
priorities, yes/no flags, and the comuni and objectives a cell names (``Lookups``, loaded once per file).
Each parser returns the value or raises ``CellError`` with an Italian message."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from municipalities.models import Municipality
from projects import rules
from projects.choices import Priority, Status
from projects.importer.errors import CellError
from projects.objectives import ObjectiveIndex, split_codes
from psm_portal.lib.money import format_number
from psm_portal.lib.text import fold

MAX_AMOUNT = Decimal("9999999999999.99")


def blank(cell) -> bool:
    """An empty cell: nothing, or only spaces."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


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


def parse_cup(value) -> str:
    """The CUP as it is stored (upper case, no spaces); its shape is checked with the row (``rules.cup_format``)."""
    return rules.normal_cup(text_cell(value))


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
        self.names = {name_key(name): name for code, name in pairs}

    def closest(self, name: str) -> str | None:
        """The comune whose name is closest to a misspelt one ("Milazzzo" → "Milazzo"), accents and case aside."""
        matches = difflib.get_close_matches(name_key(name), self.names, n=1, cutoff=0.8)
        return self.names[matches[0]] if matches else None

    def _unknown_names(self, names: list[str]) -> str:
        shown = []
        for name in names:
            closest = self.closest(name)
            shown.append(f"«{name}» ({_('forse «%(name)s»?') % {'name': closest}})" if closest else f"«{name}»")
        return ", ".join(shown)

    @classmethod
    def load(cls) -> MunicipalityIndex:
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
                % {"names": self._unknown_names(unknown)}
            )
        return found, whole


@dataclass
class Lookups:
    """The reference data some cells are resolved against, loaded once per file."""

    municipalities: MunicipalityIndex
    objectives: ObjectiveIndex | None = None  # loaded only for a file with an objectives column

    @classmethod
    def load(cls, *, objectives: bool) -> Lookups:
        return cls(MunicipalityIndex.load(), ObjectiveIndex.load() if objectives else None)


def municipality_codes(value, lookups: Lookups) -> list[str]:
    return lookups.municipalities.by_codes(value)


def municipality_names(value, lookups: Lookups) -> tuple[list[str], bool]:
    return lookups.municipalities.by_names(value)


def objective_codes(value, lookups: Lookups) -> list:
    """The specific objectives a cell names ("A1.2; A2.1"), one error per code that names none."""
    found, errors = lookups.objectives.resolve(split_codes(text_cell(value)))
    if errors:
        raise CellError(*errors)
    return found
