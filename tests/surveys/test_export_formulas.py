"""The questionnaire's public CSV follows the portal's CSV rules (``psm_portal.lib.csvexport``): every text
quoted, numbers bare, no formula after a separator or a line break inside a cell."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from surveys.models import Kind
from surveys.services import response_submit
from tests.surveys.conftest import full_answers
from tests.test_csvexport import PREFIXES, cells_as_a_spreadsheet_may_split_them, is_number

pytestmark = pytest.mark.django_db


def test_a_label_hiding_a_formula_after_a_semicolon_stays_a_text(client, survey, q, settings):
    single = q(Kind.SINGLE, 0)
    single.options.filter(label="Autobus").update(label="Autobus;=1+1")
    single.__class__.objects.filter(pk=single.pk).update(text="Quale mezzo;@SUM(A1)\n-2+3")
    for _ in range(settings.SURVEYS_MIN_GROUP):  # a group large enough to be published
        response_submit(questionnaire=survey, answers=full_answers(q))
    survey.set_results_published(True)
    reply = client.get(reverse("surveys:opendata_csv", args=[survey.slug]))
    text = b"".join(reply.streaming_content).decode("utf-8")
    assert "Autobus;'=1+1" in text
    for cell in cells_as_a_spreadsheet_may_split_them(text):
        assert is_number(cell) or not cell.startswith(PREFIXES), cell
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))
    assert all(isinstance(cell, str) for cell in header)
    assert isinstance(rows[0][0], float)  # the response's number stays a number
