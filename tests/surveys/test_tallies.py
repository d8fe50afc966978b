"""The running counts agree with the answers they summarise."""

from __future__ import annotations

import io
import random
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities.models import Municipality
from surveys import tallies
from surveys.answers import Structure
from surveys.demo import random_answers
from surveys.models import Kind, Tally
from surveys.services import response_submit
from surveys.spreading import responses_spread_all
from surveys.tallies import tally_rebuild
from tests.surveys.conftest import full_answers

pytestmark = pytest.mark.django_db


def snapshot(questionnaire) -> dict:
    return {
        (t.question_id, t.option_id, t.value, t.municipality, t.age_band_id): (
            t.count,
            t.rank_sum,
            t.number_sum,
            t.number_min,
            t.number_max,
        )
        for t in Tally.objects.filter(questionnaire=questionnaire)
    }


def test_incremental_counts_equal_a_rebuild_from_the_answers(survey):
    rng = random.Random(7)
    structure = Structure.load(survey)
    municipalities = list(Municipality.objects.only("istat_code", "population"))
    codes = [m.istat_code for m in municipalities]
    for _ in range(60):
        answers = random_answers(structure, rng, codes[:5], [1] * 5)
        response_submit(questionnaire=survey, answers=answers, structure=structure, municipality_codes=codes)
    assert responses_spread_all() == 60
    incremental = snapshot(survey)
    assert sum(v[0] for k, v in incremental.items() if k[0] == 0) == 60
    tally_rebuild(questionnaire=survey)
    assert snapshot(survey) == incremental


def test_number_minimum_and_maximum_follow_the_answers(survey, q):
    for minutes in (30, 5, 120):
        response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.NUMBER).pk: minutes}))
    responses_spread_all()
    rows = Tally.objects.filter(questionnaire=survey, question_id=q(Kind.NUMBER).pk, option_id=0, value=0)
    assert (rows.get().number_min, rows.get().number_max, rows.get().number_sum) == (5, 120, 155)


def test_a_refused_response_adds_no_count(survey, q):
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.LIKERT).pk: 7}))
    assert not Tally.objects.exists()


def test_rebuild_command(survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q))
    responses_spread_all()
    Tally.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_tallies", survey.slug, stdout=out)
    assert "mobilita:" in out.getvalue()
    assert Tally.objects.filter(questionnaire=survey, question_id=0).get().count == 1


def test_the_rebuild_reads_the_answers_only_once_it_holds_the_lock(survey, q, monkeypatch):
    for _ in range(3):
        response_submit(questionnaire=survey, answers=full_answers(q))
    responses_spread_all()
    before = snapshot(survey)
    locked_at: list[int] = []
    with CaptureQueriesContext(connection) as queries:
        monkeypatch.setattr(tallies, "_lock_tallies", lambda: locked_at.append(len(queries.captured_queries)))
        tally_rebuild(questionnaire=survey)
    assert len(locked_at) == 1
    read = [i for i, query in enumerate(queries.captured_queries) if "surveys_answer" in query["sql"]]
    assert read and min(read) >= locked_at[0]
    assert snapshot(survey) == before  # and the same counts as before


def test_the_lock_is_taken_on_postgresql_only(monkeypatch):
    executed = []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            executed.append(sql)

    monkeypatch.setattr(tallies, "connection", SimpleNamespace(vendor="sqlite", cursor=Cursor))
    tallies._lock_tallies()
    assert executed == []
    monkeypatch.setattr(tallies, "connection", SimpleNamespace(vendor="postgresql", cursor=Cursor))
    tallies._lock_tallies()
    assert executed == ["LOCK TABLE surveys_tally IN EXCLUSIVE MODE"]
