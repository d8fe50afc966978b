"""One date-and-time input for the whole portal: the same widget and the same accepted formats everywhere."""

from __future__ import annotations

from datetime import datetime

import pytest

from phases.forms import OpenReviewForm, PhaseDatesForm
from surveys.builder_forms import QuestionnaireForm

FORMS = [(PhaseDatesForm, "starts_at"), (OpenReviewForm, "deadline"), (QuestionnaireForm, "opens_at")]


@pytest.mark.parametrize("form_class,name", FORMS)
@pytest.mark.parametrize(
    "typed,expected",
    [
        ("2031-01-10T09:30", datetime(2031, 1, 10, 9, 30)),  # what the browser's picker sends
        ("2031-01-10 09:30", datetime(2031, 1, 10, 9, 30)),
        ("10/01/2031 09:30", datetime(2031, 1, 10, 9, 30)),
        ("10/01/2031", datetime(2031, 1, 10)),
    ],
)
def test_every_date_and_time_field_reads_the_same_formats(form_class, name, typed, expected):
    field = form_class().fields[name]
    assert field.clean(typed).replace(tzinfo=None) == expected


@pytest.mark.parametrize("form_class,name", FORMS)
def test_every_date_and_time_field_shows_the_browsers_picker_with_a_value_it_reads(form_class, name):
    html = form_class(initial={name: datetime(2031, 1, 10, 9, 30)})[name].as_widget()
    assert 'type="datetime-local"' in html and 'value="2031-01-10T09:30"' in html
