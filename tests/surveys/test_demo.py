from __future__ import annotations

import io

import pytest

from surveys import demo
from surveys.models import Kind, Questionnaire, Response

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_kind_and_hundreds_of_responses_once():
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    questionnaire = Questionnaire.objects.get(slug=demo.SLUG)
    assert questionnaire.is_open() and questionnaire.results_published
    assert set(questionnaire.questions.values_list("kind", flat=True)) == set(Kind.values)
    assert Response.objects.filter(questionnaire=questionnaire).count() == demo.RESPONSES
    assert Response.objects.exclude(municipality=None).values("municipality").distinct().count() > 20


def test_demo_responses_are_spread_as_the_worker_would():
    from surveys.models import Answer, Tally

    demo.seed(io.StringIO())
    questionnaire = Questionnaire.objects.get(slug=demo.SLUG)
    assert not Response.objects.pending().exists()
    assert Answer.objects.filter(response__questionnaire=questionnaire).exists()
    counted = sum(Tally.objects.filter(questionnaire=questionnaire, question_id=0).values_list("count", flat=True))
    assert counted == demo.RESPONSES
