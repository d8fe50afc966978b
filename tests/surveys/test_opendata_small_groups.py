"""The open-data CSV keeps the small-group rule of the results page: no comune and age band combination in
it has fewer than SURVEYS_MIN_GROUP rows, so the few respondents of a small comune cannot be read one by one."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from municipalities.models import Municipality
from surveys.answers import Structure
from surveys.exports import columns
from surveys.factories import QuestionFactory
from surveys.models import Kind
from surveys.opendata import NO_BAND, POOLED, coarsen
from surveys.services import response_submit
from surveys.spreading import responses_spread_all
from tests.surveys.conftest import LIPARI, MESSINA, full_answers

pytestmark = pytest.mark.django_db

PLACE_CODE = "D1. In quale comune vivi? [codice ISTAT]"
PLACE = "D1. In quale comune vivi?"
BAND = "D2. Quanti anni hai?"


def submit(q, place: str, band: str, times: int = 1) -> None:
    age = q(Kind.AGE_BAND)
    for _ in range(times):
        response_submit(
            questionnaire=q.questionnaire,
            answers=full_answers(q, {q(Kind.MUNICIPALITY).pk: place, age.pk: {"option": q.opt(age, band)}}),
        )


def csv_rows(client, survey) -> list[dict]:
    reply = client.get(reverse("surveys:opendata_csv", args=[survey.slug]))
    assert reply.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(b"".join(reply.streaming_content).decode("utf-8"))))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def small_comune(survey, q, settings):
    """Six 25–34 year-olds of Messina and one over 75; two people of Lipari; one each of four other comuni."""
    settings.SURVEYS_MIN_GROUP = 5  # the default, stated
    submit(q, MESSINA, "25–34", times=6)
    submit(q, MESSINA, "75 anni e oltre")
    submit(q, LIPARI, "25–34")
    submit(q, LIPARI, "65–74")
    others = Municipality.objects.exclude(pk__in=[MESSINA, LIPARI]).order_by("pk").values_list("pk", flat=True)[:4]
    for code, band in zip(others, ["18–24", "35–44", "45–54", "55–64"], strict=True):
        submit(q, code, band)
    survey.set_results_published(True)


def test_the_two_people_of_a_small_comune_cannot_be_found_in_the_csv(client, survey, small_comune):
    rows = csv_rows(client, survey)
    assert not any(row[PLACE] == "Lipari" or row[PLACE_CODE] == LIPARI for row in rows)
    groups = Counter((row[PLACE], row[BAND]) for row in rows)
    assert all(n >= 5 for n in groups.values()), groups
    # The large group keeps its comune and band; the rest is one group: «altri comuni», «non indicata».
    assert groups == {("Messina", "25–34"): 6, ("altri comuni", "non indicata"): 7}
    assert {row[PLACE_CODE] for row in rows if row[PLACE] == "Messina"} == {MESSINA}
    assert {row[PLACE_CODE] for row in rows if row[PLACE] == "altri comuni"} == {""}
    assert sorted(int(row["risposta"]) for row in rows) == list(range(1, 14))


def test_a_group_too_small_even_coarsened_is_left_out(client, survey, q, settings):
    settings.SURVEYS_MIN_GROUP = 5
    submit(q, MESSINA, "25–34", times=5)
    submit(q, LIPARI, "25–34", times=2)
    survey.set_results_published(True)
    rows = csv_rows(client, survey)
    assert Counter((row[PLACE], row[BAND]) for row in rows) == {("Messina", "25–34"): 5}


def test_the_team_xlsx_keeps_every_row_as_sent(login, team_user, survey, small_comune):
    team = login(team_user)
    workbook = load_workbook(io.BytesIO(team.get(reverse("surveys:export_xlsx", args=[survey.pk])).content))
    header, *rows = list(workbook.active.iter_rows(values_only=True))
    lipari = [row for row in rows if row[header.index(PLACE)] == "Lipari"]
    assert sorted(row[header.index(BAND)] for row in lipari) == ["25–34", "65–74"]
    assert len(rows) == 13


def test_the_catalogue_describes_the_rule(client, survey, settings):
    survey.set_results_published(True)
    settings.SURVEYS_MIN_GROUP = 7
    html = client.get(reverse("opendata")).content.decode()
    assert "ogni combinazione di comune e fascia d&#x27;età conta almeno 7 risposte" in html
    assert "«altri comuni»" in html and "«non indicata»" in html


def test_the_rule_is_the_results_page_s(settings):
    settings.SURVEYS_MIN_GROUP = 3
    assert coarsen({("083048", 1): 3, ("083041", 1): 2}) == {("083048", 1): ("083048", 1), ("083041", 1): None}


def test_coarsening_steps(settings):
    settings.SURVEYS_MIN_GROUP = 5
    counts = {
        ("083048", 1): 9,  # kept
        ("083048", 2): 2,  # band too small: «non indicata», with Messina's 3 without a band
        ("083048", NO_BAND): 3,
        ("083041", 1): 4,  # a small comune: «altri comuni», in band 1 with the next
        ("083001", 1): 1,
        ("083002", 3): 1,  # «altri comuni» and band 3: too small, «non indicata» and then left out
        ("altro", 2): 6,  # elsewhere is a place like a comune
    }
    assert coarsen(counts) == {
        ("083048", 1): ("083048", 1),
        ("083048", 2): ("083048", NO_BAND),
        ("083048", NO_BAND): ("083048", NO_BAND),
        ("083041", 1): (POOLED, 1),
        ("083001", 1): (POOLED, 1),
        ("083002", 3): None,
        ("altro", 2): ("altro", 2),
    }


def test_every_published_group_is_large_enough_whatever_the_counts(settings):
    settings.SURVEYS_MIN_GROUP = 5
    chance = random.Random(12)
    for _ in range(300):
        counts = {
            (chance.choice(["083048", "083041", "083001", "083002", "altro", ""]), chance.randrange(0, 5)): 0
            for _ in range(chance.randrange(1, 20))
        }
        counts = {cell: chance.randrange(1, 9) for cell in counts}
        published = coarsen(counts)
        sizes = Counter()
        for cell, target in published.items():
            if target is not None:
                sizes[target] += counts[cell]
                # Only coarser: the place kept or pooled, the band kept or dropped.
                assert target[0] in (cell[0], POOLED) and target[1] in (cell[1], NO_BAND)
        assert all(n >= 5 for n in sizes.values()), (counts, published)
        # Nothing large is lost: a comune and band group of at least 5 keeps both.
        assert all(published[cell] == cell for cell, n in counts.items() if n >= 5)


def test_the_csv_costs_the_same_queries_at_two_sizes(client, survey, q, settings):
    settings.SURVEYS_MIN_GROUP = 5
    survey.set_results_published(True)
    csv_rows(client, survey)  # the questionnaire's structure and the comuni's names, cached per process
    counts = []
    for more in (5, 20):
        submit(q, MESSINA, "25–34", times=more)
        submit(q, LIPARI, "65–74")
        responses_spread_all()  # the spreading's own cost is measured apart (test_spread.py)
        with CaptureQueriesContext(connection) as captured:
            rows = csv_rows(client, survey)
        counts.append(len(captured.captured_queries))
        assert {row[PLACE] for row in rows} == {"Messina"}
    assert counts[0] == counts[1]


def test_a_second_comune_question_is_left_out_of_the_csv_the_rule_does_not_cover_it(survey):
    QuestionFactory(section=survey.sections.last(), kind=Kind.MUNICIPALITY, text="In quale comune lavori?", order=99)
    structure = Structure.load(survey)
    public = [col.header for col in columns(structure, include_open=False, coarse=True)]
    team = [col.header for col in columns(structure, include_open=True)]
    assert any("In quale comune lavori?" in h for h in team)
    assert not any("In quale comune lavori?" in h for h in public)
    assert PLACE in public and PLACE_CODE in public and BAND in public
