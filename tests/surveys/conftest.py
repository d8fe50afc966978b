from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.factories import every_kind_questionnaire
from surveys.models import Kind, Questionnaire

MESSINA = "083048"
LIPARI = "083041"


@pytest.fixture
def survey(db) -> Questionnaire:
    return every_kind_questionnaire(slug="mobilita", title="Mobilità e futuro")


class Q:
    """Looks up the questions and options of the every-kind questionnaire by kind and label."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.all = list(
            questionnaire.questions.select_related("section")
            .prefetch_related("options")
            .order_by("section__order", "order")
        )

    def __call__(self, kind: str, n: int = 0):
        return [q for q in self.all if q.kind == kind][n]

    def opt(self, question, label: str) -> int:
        return next(o.pk for o in question.options.all() if o.label == label)


@pytest.fixture
def q(survey) -> Q:
    return Q(survey)


def full_answers(q: Q, overrides: dict | None = None) -> dict:
    """A complete, valid response to the every-kind questionnaire, as ``response_submit`` takes it."""
    yes_no = q(Kind.YES_NO)
    single = q(Kind.SINGLE, 0)
    multiple = q(Kind.MULTIPLE)
    ranking = q(Kind.RANKING)
    answers = {
        q(Kind.MUNICIPALITY).pk: MESSINA,
        q(Kind.AGE_BAND).pk: {"option": q.opt(q(Kind.AGE_BAND), "25–34")},
        yes_no.pk: {"option": q.opt(yes_no, "Sì")},
        q(Kind.NUMBER).pk: 45,
        single.pk: {"option": q.opt(single, "Autobus")},
        multiple.pk: {"options": [q.opt(multiple, "Trasporti"), q.opt(multiple, "Altro")], "other": "Sanità"},
        ranking.pk: [q.opt(ranking, "Porti"), q.opt(ranking, "Strade"), q.opt(ranking, "Digitale")],
        q(Kind.LIKERT).pk: 4,
        q(Kind.SHORT_TEXT, 0).pk: "Linea Messina–Milazzo",
        q(Kind.SHORT_TEXT, 1).pk: "Stretto",
        q(Kind.LONG_TEXT).pk: "Più treni e meno code agli imbarchi.",
    }
    answers.update(overrides or {})
    return {k: v for k, v in answers.items() if v is not None}


def section_posts(q: Q) -> list[dict]:
    """The same complete response as the three POSTs of the answering pages."""
    yes_no, single, multiple, ranking = q(Kind.YES_NO), q(Kind.SINGLE, 0), q(Kind.MULTIPLE), q(Kind.RANKING)
    return [
        {
            f"q{q(Kind.MUNICIPALITY).pk}": MESSINA,
            f"q{q(Kind.AGE_BAND).pk}": str(q.opt(q(Kind.AGE_BAND), "25–34")),
            f"q{yes_no.pk}": str(q.opt(yes_no, "Sì")),
            f"q{q(Kind.NUMBER).pk}": "45",
        },
        {
            f"q{single.pk}": str(q.opt(single, "Autobus")),
            f"q{multiple.pk}": [str(q.opt(multiple, "Trasporti")), str(q.opt(multiple, "Altro"))],
            f"q{multiple.pk}_other": "Sanità",
            f"q{ranking.pk}_r1": str(q.opt(ranking, "Porti")),
            f"q{ranking.pk}_r2": str(q.opt(ranking, "Strade")),
            f"q{ranking.pk}_r3": str(q.opt(ranking, "Digitale")),
        },
        {
            f"q{q(Kind.LIKERT).pk}": "4",
            f"q{q(Kind.SHORT_TEXT, 0).pk}": "Linea Messina–Milazzo",
            f"q{q(Kind.SHORT_TEXT, 1).pk}": "Stretto",
            f"q{q(Kind.LONG_TEXT).pk}": "Più treni e meno code agli imbarchi.",
        },
    ]


def answer_through_pages(client, questionnaire: Questionnaire, posts: list[dict]):
    """Accept the privacy notice and post every section; returns the last response."""
    client.post(reverse("surveys:start", args=[questionnaire.slug]), {"privacy": "on"})
    reply = None
    for number, data in enumerate(posts, start=1):
        reply = client.post(reverse("surveys:section", args=[questionnaire.slug, number]), data)
    return reply
