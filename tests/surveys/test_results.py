"""The results page: who sees it, charts with their tables, filters, and a constant number of queries."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from psm_portal.accounts.models import Role, User
from surveys.answers import municipality_codes
from surveys.models import Answer, Kind, Response
from surveys.services import response_submit
from surveys.spreading import responses_spread_all
from tests.conftest import CAST
from tests.surveys.conftest import LIPARI, full_answers

pytestmark = pytest.mark.django_db


def results_url(survey):
    return reverse("surveys:results", args=[survey.slug])


def add_responses(survey, q, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    ranking = q(Kind.RANKING)
    items = [o.pk for o in ranking.options.all()]
    for _ in range(count):
        rng.shuffle(items)
        response_submit(
            questionnaire=survey,
            answers=full_answers(q, {q(Kind.LIKERT).pk: rng.randint(1, 5), ranking.pk: items[:3]}),
        )


@pytest.mark.parametrize("member", CAST)
def test_unpublished_results_are_for_team_and_offices(member, cast, login, survey):
    reply = login(cast(member)).get(results_url(survey))
    assert reply.status_code == (200 if member in ("team_user", "office_a_user", "office_b_user") else 404)


@pytest.mark.parametrize("member", CAST)
def test_published_results_are_public(member, cast, login, survey):
    survey.set_results_published(True)
    assert login(cast(member)).get(results_url(survey)).status_code == 200


@pytest.mark.parametrize("member", CAST)
def test_open_answers_are_shown_to_the_team_only(member, cast, login, survey, q):
    add_responses(survey, q, 1)
    survey.set_results_published(True)
    html = login(cast(member)).get(results_url(survey)).content.decode()
    assert ("Più treni e meno code agli imbarchi." in html) == (member == "team_user")


def test_every_chart_has_title_description_and_table(client, survey, q):
    add_responses(survey, q, 3)
    survey.set_results_published(True)
    html = client.get(results_url(survey)).content.decode()
    charts = html.count('role="img"')
    assert charts == 8  # municipality, age, yes/no, single, multiple, ranking, select, Likert
    assert html.count("<desc id=") == charts + 1  # plus the participation map
    assert html.count("<caption>") == charts + 1
    assert 'scope="row"' in html and "Posizione media" in html
    # Fonts and colours are SVG attributes, not CSS: the plan PDF draws the same template the same way.
    assert html.count('class="psm-chart-svg"') == charts
    assert html.count('font-size="15" fill="#17324d"') == html.count('class="psm-chart-label"') > charts
    assert "Distribuzione delle risposte sulla scala da 1 a 5" in html
    assert "Partecipazione al questionario per comune" in html
    assert html.count('class="psm-map-link"') == 108


def test_filters_by_municipality_and_age_band(login, team_user, survey, q):
    client = login(team_user)  # the public does not see groups this small (see below)
    add_responses(survey, q, 2)
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    survey.set_results_published(True)
    reply = client.get(results_url(survey), {"comune": LIPARI})
    assert reply.context["data"]["total"] == 1
    age = q(Kind.AGE_BAND)
    reply = client.get(results_url(survey), {"eta": q.opt(age, "25–34")})
    assert reply.context["data"]["total"] == 3
    assert client.get(results_url(survey), {"eta": q.opt(age, "65–74")}).context["data"]["total"] == 0


@pytest.mark.parametrize("age", ["abc", "²", "9" * 40, "-1"])
def test_bad_filters_are_ignored(client, survey, age):
    survey.set_results_published(True)
    reply = client.get(results_url(survey), {"comune": "<script>", "eta": age})
    assert reply.status_code == 200
    assert reply.context["municipality"] == "" and reply.context["age_band"] is None


@pytest.mark.parametrize("count", [2, 25])
def test_results_query_count_does_not_depend_on_responses(client, survey, q, django_assert_max_num_queries, count):
    add_responses(survey, q, count)
    responses_spread_all()  # as the worker does, a moment after each submission
    survey.set_results_published(True)
    with django_assert_max_num_queries(10):
        client.get(results_url(survey))
    with django_assert_max_num_queries(11):
        client.get(results_url(survey), {"comune": "083048", "eta": q.opt(q(Kind.AGE_BAND), "25–34")})


@pytest.mark.parametrize("count", [3, 40])
def test_responses_not_yet_spread_are_counted_by_the_results(client, survey, q, count):
    """No worker has run: the page spreads what is pending first, in a number of queries that does
    not grow with it (one batch), and shows every stored response."""
    add_responses(survey, q, count)
    survey.set_results_published(True)
    assert Response.objects.pending().count() == count
    with CaptureQueriesContext(connection) as captured:
        reply = client.get(results_url(survey))
    assert reply.context["data"]["total"] == count
    assert not Response.objects.pending().exists()
    assert Answer.objects.filter(response__questionnaire=survey).values("response").distinct().count() == count
    assert len(captured) <= 22
    with CaptureQueriesContext(connection) as again:
        client.get(results_url(survey))
    assert len(again) <= 10


def test_list_shows_published_results(client, survey, q):
    add_responses(survey, q, 2)
    survey.set_results_published(True)
    html = client.get(reverse("surveys:list")).content.decode()
    assert results_url(survey) in html and "2 risposte" in html


@pytest.mark.parametrize("comune", ["\x00", "%00", "0830\x0048", "9" * 5000])
@pytest.mark.parametrize("name", ["surveys:results", "surveys:opendata_json"])
def test_the_municipality_filter_is_checked_without_a_query(client, survey, name, comune):
    survey.set_results_published(True)
    url = reverse(name, args=[survey.slug])
    municipality_codes()  # reference data, read once per process
    client.get(url)  # and the structure, cached while unchanged
    with CaptureQueriesContext(connection) as unfiltered:
        client.get(url)
    with CaptureQueriesContext(connection) as filtered:
        reply = client.get(url, {"comune": comune})
    assert reply.status_code == 200
    assert len(filtered) == len(unfiltered)
    if name == "surveys:results":
        assert reply.context["municipality"] == ""


WITHHELD = "Con i filtri scelti le risposte sono meno di 5"


@pytest.mark.parametrize("filters", [{"comune": LIPARI}, {"comune": "altro"}, {"eta": "65–74"}])
def test_a_small_filtered_group_is_withheld_from_the_public(client, login, team_user, survey, q, filters):
    add_responses(survey, q, 4)  # Messina, 25–34
    for elsewhere in (LIPARI, "altro"):
        response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: elsewhere}))
    survey.set_results_published(True)
    if "eta" in filters:
        response_submit(
            questionnaire=survey,
            answers=full_answers(q, {q(Kind.AGE_BAND).pk: {"option": q.opt(q(Kind.AGE_BAND), "65–74")}}),
        )
        filters = {"eta": q.opt(q(Kind.AGE_BAND), filters["eta"])}
    page = client.get(results_url(survey), filters)
    html = page.content.decode()
    assert WITHHELD in html
    assert 'class="psm-result"' not in html and "risposte con i filtri scelti" not in html
    assert page.context["data"] is None and page.context["map"] is None
    data = client.get(reverse("surveys:opendata_json", args=[survey.slug]), filters).json()
    assert data["responses"] is None and data["questions"] == [] and data["participation"] == []
    assert data["message"].startswith(WITHHELD)
    # The team sees the numbers whatever the size of the group.
    team = login(team_user)
    assert WITHHELD not in team.get(results_url(survey), filters).content.decode()
    assert team.get(reverse("surveys:opendata_json", args=[survey.slug]), filters).json()["responses"] == 1


def test_groups_from_the_threshold_up_and_unfiltered_results_are_public(client, survey, q, settings):
    add_responses(survey, q, 5)
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: LIPARI}))
    survey.set_results_published(True)
    html = client.get(results_url(survey), {"comune": "083048"}).content.decode()
    assert WITHHELD not in html and "5 risposte con i filtri scelti" in html
    assert (
        client.get(reverse("surveys:opendata_json", args=[survey.slug]), {"comune": "083048"}).json()["responses"] == 5
    )
    settings.SURVEYS_MIN_GROUP = 10
    html = client.get(results_url(survey)).content.decode()
    assert "6 risposte" in html and "Con i filtri scelti" not in html
    assert (
        "Con i filtri scelti le risposte sono meno di 10"
        in client.get(results_url(survey), {"comune": "083048"}).content.decode()
    )


def test_a_superuser_sees_unpublished_results_and_open_answers_as_the_team_does(login, survey, q):
    add_responses(survey, q, 1)
    admin = User.objects.create_superuser("admin@test.local", "Una-password-lunga", role=Role.COUNCIL)
    reply = login(admin).get(results_url(survey))
    assert reply.status_code == 200 and reply.context["include_open"]
    assert "Più treni e meno code agli imbarchi." in reply.content.decode()
