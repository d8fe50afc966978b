"""The public list and the reserved-area list: paginated, with a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.factories import QuestionnaireFactory
from surveys.models import Questionnaire
from surveys.services import response_submit
from tests.surveys.conftest import full_answers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [2, 30])
def test_public_list_query_count_is_constant(client, django_assert_max_num_queries, count):
    for index in range(count):
        QuestionnaireFactory(slug=f"aperto-{index}")
        QuestionnaireFactory(slug=f"chiuso-{index}", results_published=True)
    with django_assert_max_num_queries(6):
        reply = client.get(reverse("surveys:list"))
    assert reply.status_code == 200
    assert len(reply.context["page"].object_list) == min(10, count)


@pytest.mark.parametrize("count", [2, 30])
def test_manage_list_query_count_is_constant(login, team_user, django_assert_max_num_queries, count):
    for index in range(count):
        QuestionnaireFactory(slug=f"q-{index}")
    client = login(team_user)
    with django_assert_max_num_queries(8):
        reply = client.get(reverse("surveys:manage"))
    assert len(reply.context["page"].object_list) == min(20, count)
    assert "Nuovo questionario" in reply.content.decode()


def test_offices_see_promotion_but_not_the_builder(login, office_a_user, survey):
    html = login(office_a_user).get(reverse("surveys:manage")).content.decode()
    assert reverse("surveys:promote", args=[survey.pk]) in html
    assert f'href="{reverse("surveys:edit", args=[survey.pk])}"' not in html
    assert "Nuovo questionario" not in html


def test_dashboard_links_to_the_questionnaires(login, team_user):
    html = login(team_user).get(reverse("accounts:dashboard")).content.decode()
    assert reverse("surveys:manage") in html


def test_response_counts_need_no_distinct(survey, q):
    for _ in range(3):
        response_submit(questionnaire=survey, answers=full_answers(q))
    counted = Questionnaire.objects.with_response_count()
    assert "DISTINCT" not in str(counted.query).upper()  # one join: every row is one response
    assert counted.get(pk=survey.pk).response_count == 3
