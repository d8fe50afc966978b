"""While a review is open, the public objective and comune pages show how many comuni and offices have answered
so far, never how: the stances are public only once the review closes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Municipality
from phases.factories import PositionFactory
from psm_portal.accounts.factories import OfficeFactory
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


def _answers(version, objective, comuni: int, offices: int, stance: str = "disagree") -> None:
    for municipality in Municipality.objects.order_by("istat_code")[:comuni]:
        PositionFactory(version=version, municipality=municipality, objective=objective, stance=stance)
    for index in range(offices):
        PositionFactory(version=version, office=OfficeFactory(code=f"u{index}"), objective=objective, stance=stance)


@pytest.mark.parametrize("who", CAST)
def test_the_objective_page_counts_who_answered_the_open_review_without_stances(
    tree, open_version, login, cast, office_a, office_b, who
):
    _answers(open_version, tree["A1"], comuni=3, offices=1)
    _answers(open_version, tree["A2"], comuni=5, offices=0)  # another objective: not counted on A1
    html = login(cast(who)).get(reverse("phases:objective", args=["A1"])).content.decode()
    assert "Consultazione in corso su questo obiettivo" in html
    assert "3 comuni su 108 hanno risposto" in html
    assert "1 ufficio su" in html and "ha risposto" in html
    assert "in disaccordo" not in html.split("Consultazione in corso su questo obiettivo")[1].split("</ul>")[0]


@pytest.mark.parametrize("who", CAST)
def test_the_comune_page_says_how_many_positions_it_gave_in_the_open_review(
    tree, open_version, login, cast, office_a, office_b, messina, who
):
    _answers(open_version, tree["A1"], comuni=2, offices=0)
    PositionFactory(version=open_version, municipality=messina, objective=None, stance="agree")
    html = login(cast(who)).get(reverse("municipalities:detail", args=[messina.istat_code])).content.decode()
    assert "Consultazione in corso sulla Visione" in html
    assert "Messina ha dato finora 1 posizione su 3." in html  # the first two comuni by code are not Messina
    assert "3 comuni su 108 hanno risposto" in html
    assert "Posizioni sulla Visione (versione" not in html  # no closed review: no stances at all


def test_no_live_counts_without_an_open_review(tree, closed_version, client, messina):
    assert "Consultazione in corso" not in client.get(reverse("phases:objective", args=["A1"])).content.decode()
    html = client.get(reverse("municipalities:detail", args=[messina.istat_code])).content.decode()
    assert "Consultazione in corso" not in html


@pytest.mark.parametrize("url", ["/visione/obiettivi/A1/", "/comuni/083048/"])
def test_the_live_counts_cost_the_same_queries_at_two_sizes(tree, open_version, client, url):
    def visit() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _answers(open_version, tree["A1"], comuni=2, offices=1)
    small = visit()
    _answers(open_version, tree["A2"], comuni=60, offices=8)
    assert visit() == small
