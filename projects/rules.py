"""What makes a project valid, written once: the model's ``clean()``, the project form and the importer ask here.

A broken rule comes back as a ``Breach``: the field it concerns, the sentence a form (or the model) shows,
and the shorter phrase the importer shows against a row of a file. Text lengths are the model's own
``max_length``: the form and the model enforce them through the field, the importer through ``too_long``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.choices import Status

CUP_PATTERN = r"^[A-Z][0-9]{2}[A-Z][0-9]{11}$"
cup_validator = RegexValidator(
    CUP_PATTERN,
    gettext_lazy(
        "Il CUP deve avere 15 caratteri: una lettera, due cifre, una lettera e undici cifre (es. B33C22000020006)."
    ),
)


@dataclass(frozen=True)
class Breach:
    field: str
    message: str  # for a form and the model
    row_message: str  # for a row of an imported file


def normal_cup(text: str) -> str:
    """ " b33c 2200 0020006 " → "B33C22000020006": how people write a CUP, the way it is stored."""
    return text.strip().upper().replace(" ", "")


def cup_format(cup: str) -> Breach | None:
    """A CUP given must have the official shape: a letter, two digits, a letter and eleven digits."""
    if not cup or cup_validator.regex.search(cup):
        return None
    return Breach(
        "cup",
        str(cup_validator.message),
        _("CUP «%(cup)s» non valido: deve avere 15 caratteri, una lettera, due cifre, una lettera e undici cifre")
        % {"cup": cup[:30]},
    )


def cup_required(cup: str, status: str) -> Breach | None:
    """Every project has a CUP except an idea."""
    if cup or status == Status.IDEA:
        return None
    return Breach(
        "cup",
        _("Il CUP è obbligatorio, tranne che per le idee."),
        _("manca il CUP: è obbligatorio tranne che per le idee"),
    )


def dates_in_order(values: Mapping) -> list[Breach]:
    """The planned end is not before the planned start, nor the actual end before the actual start."""
    breaches = []
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        first, last = values.get(start), values.get(end)
        if not (first and last and last < first):
            continue
        dates = {"end": last.strftime("%d/%m/%Y"), "start": first.strftime("%d/%m/%Y")}
        if start == "planned_start":
            message = _("La fine prevista è precedente all'inizio previsto.")
            row_message = _("la fine prevista (%(end)s) è precedente all'inizio previsto (%(start)s)") % dates
        else:
            message = _("La fine effettiva è precedente all'inizio effettivo.")
            row_message = _("la fine effettiva (%(end)s) è precedente all'inizio effettivo (%(start)s)") % dates
        breaches.append(Breach(end, message, row_message))
    return breaches


def place_required(municipalities: Iterable, whole_area: bool) -> Breach | None:
    """A project concerns at least one comune, or the whole metropolitan area."""
    if municipalities or whole_area:
        return None
    return Breach(
        "municipalities",
        _("Indica almeno un comune oppure l'intera area metropolitana."),
        _("indica almeno un comune oppure l'intera area metropolitana"),
    )


def too_long(field: models.Field, text: str) -> str | None:
    """The importer's phrase for a text longer than the model's field allows (``max_length``)."""
    if field.max_length is None or len(text) <= field.max_length:
        return None
    if field.name == "title":
        return _("il titolo supera i 300 caratteri")  # the catalogue's phrase; a test ties it to max_length
    return _("il testo supera i %(n)s caratteri") % {"n": field.max_length}
