"""The public list and the reserved-area list: paginated, with a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.factories import QuestionnaireFactory

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
