"""Form pieces shared by the apps: the date-and-time input, the autocomplete for choosing among many, and errors
as one line of text."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# What the browser's datetime-local input sends. What a person types where it is missing (dd/mm/yyyy,
# with or without the time) is read by the formats in psm_portal/formats/, as everywhere else.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, with the value written the way it reads it."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


def errors_text(source: ValidationError | forms.BaseForm, sep: str = " ") -> str:
    """The messages of a refused action or of an invalid form, on one line (for ``messages.error``),
    joined by ``sep`` (``"; "`` when they are pieces of one sentence)."""
    if isinstance(source, ValidationError):
        return sep.join(source.messages)
    return sep.join(message for messages in source.errors.values() for message in messages)


class _Autocomplete:
    """What both autocomplete widgets share: the marker ``static/psm/js/autocomplete.js`` looks for, and its
    messages, translated here so that the script holds no text of its own."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"data-psm-autocomplete": "", **(attrs or {})}, choices=choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-msg-search": gettext("Scrivi per cercare"),
                "data-msg-chosen": gettext("Scelti"),
                "data-msg-remove": gettext("Rimuovi %s"),
                "data-msg-added": gettext("%s aggiunto"),
                "data-msg-removed": gettext("%s rimosso"),
                "data-msg-results": gettext("%d risultati: scegli con le frecce e Invio"),
                "data-msg-none": gettext("Nessun risultato"),
            }
        )
        return context


class AutocompleteSelectMultiple(_Autocomplete, forms.SelectMultiple):
    """Choosing several among many (comuni, offices, objectives): a box that suggests as one types, accents
    ignored, and the choices as chips with a button to remove each. It enhances a native multiple select, which
    stays in the form and is what is sent: without JavaScript the plain select works."""


class AutocompleteSelect(_Autocomplete, forms.Select):
    """Choosing one among many, with the same box as ``AutocompleteSelectMultiple``."""
