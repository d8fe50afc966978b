"""Form pieces shared through psm_portal.lib.forms: one date-and-time input (same widget, same accepted formats
everywhere) and errors as one line of text."""

from __future__ import annotations

from datetime import datetime

import pytest

from phases.forms import OpenReviewForm, PhaseDatesForm
from surveys.forms import QuestionnaireForm

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


def test_errors_text_joins_the_messages_of_a_refusal_or_of_an_invalid_form():
    from django.core.exceptions import ValidationError

    from psm_portal.lib.forms import errors_text

    assert errors_text(ValidationError(["Prima cosa.", "Seconda cosa."])) == "Prima cosa. Seconda cosa."
    form = PhaseDatesForm({"starts_at": "2031-01-10T09:30", "ends_at": "2031-01-09T09:30"})
    assert not form.is_valid()
    assert errors_text(form) == "La fine deve essere successiva all'inizio."
    form = PhaseDatesForm({"starts_at": "domani", "ends_at": ""})
    assert not form.is_valid()
    assert errors_text(form) == "Inserisci una data/ora valida. Questo campo è obbligatorio."
    assert errors_text(form, "; ") == "Inserisci una data/ora valida.; Questo campo è obbligatorio."
    assert errors_text(ValidationError(["uno", "due"]), "; ") == "uno; due"


def test_a_bad_deadline_is_one_message_on_the_vision_page(login, team_user, listening_now):
    from django.urls import reverse

    from phases.factories import VisionVersionFactory

    version = VisionVersionFactory(number=1)
    response = login(team_user).post(
        reverse("phases:version_open", args=[version.pk]), {"deadline": "ieri"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Inserisci una data/ora valida."]
