"""Form pieces shared by the apps: the date-and-time input, and errors as one line of text."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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
