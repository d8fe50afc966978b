"""Form pieces shared by the apps."""

from __future__ import annotations

from django import forms

# What the browser's datetime-local input sends, and what a person types where it is missing.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_INPUT_FORMATS = [DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, with the value written the way it reads it."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)
