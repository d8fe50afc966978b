"""The municipality page shows the participation of its residents once results are published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Kind
from surveys.services import response_submit
from tests.surveys.conftest import LIPARI, full_answers

pytestmark = pytest.mark.django_db


def test_no_section_before_results_are_published(client, survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    html = client.get(reverse("municipalities:detail", args=[LIPARI])).content.decode()
    assert "Partecipazione al questionario" not in html


def test_section_shows_responses_and_rate_per_thousand(client, survey, q, lipari):
    for _ in range(2):
        response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    response_submit(questionnaire=survey, answers=full_answers(q))
    survey.set_results_published(True)
    reply = client.get(reverse("municipalities:detail", args=[LIPARI]))
    html = reply.content.decode()
    assert "Partecipazione al questionario" in html
    section = next(s for s in reply.context["sections"] if s["template"] == "surveys/municipality_section.html")
    row = section["survey_rows"][0]
    assert (row["count"], row["total"]) == (2, 3)
    assert row["rate"] == pytest.approx(2000 / lipari.population)
    assert f"?comune={LIPARI}" in html


@pytest.mark.parametrize("responses", [1, 20])
def test_section_costs_one_query(client, survey, q, responses, django_assert_num_queries):
    from surveys.profile import participation_section

    for _ in range(responses):
        response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    survey.set_results_published(True)
    from municipalities.models import Municipality

    lipari = Municipality.objects.get(pk=LIPARI)
    with django_assert_num_queries(1):
        participation_section(lipari, None)
