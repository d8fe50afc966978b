"""Demo content for ``manage.py seed_demo``: a published questionnaire with every kind of question
and a few hundred generated responses, with results public. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from municipalities.models import Municipality
from surveys.answers import Structure, other_option_id
from surveys.factories import every_kind_questionnaire
from surveys.models import Kind, Questionnaire
from surveys.services import response_submit
from surveys.spreading import responses_spread_all

SLUG = "futuro-area-metropolitana"
RESPONSES = 300
PHRASES = ["Stretto", "Mare", "Isole", "Colline", "Storia", "Lavoro", "Porto", "Nebrodi"]
WISHES = [
    "Collegamenti più frequenti con le isole.",
    "Strade provinciali sicure e manutenute.",
    "Scuole con palestre e laboratori.",
    "Più lavoro per i giovani, per non dover partire.",
    "Treni veloci tra Messina e Palermo.",
]


def random_answers(structure: Structure, rng: random.Random, municipalities: list, weights: list) -> dict:
    answers: dict[int, object] = {}
    for question in structure.ordered_questions():
        if not structure.is_shown(question, answers):
            continue
        if not question.required and rng.random() < 0.3:
            continue
        options = [o for o in question.options.all() if not o.is_other]
        other = other_option_id(question)
        kind = question.kind
        if kind == Kind.MUNICIPALITY:
            answers[question.pk] = "altro" if rng.random() < 0.05 else rng.choices(municipalities, weights)[0]
        elif kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
            if other is not None and rng.random() < 0.08:
                answers[question.pk] = {"option": other, "other": rng.choice(["Bicicletta", "A piedi", "Monopattino"])}
            else:
                answers[question.pk] = {"option": rng.choice(options).pk}
        elif kind == Kind.MULTIPLE:
            chosen = rng.sample(options, rng.randint(1, min(len(options), question.max_choices or len(options))))
            value = {"options": [o.pk for o in chosen]}
            if other is not None and len(chosen) < (question.max_choices or 99) and rng.random() < 0.1:
                value["options"].append(other)
                value["other"] = rng.choice(["Sanità", "Cultura", "Sport"])
            answers[question.pk] = value
        elif kind == Kind.RANKING:
            answers[question.pk] = [o.pk for o in rng.sample(options, question.rank_top or len(options))]
        elif kind == Kind.LIKERT:
            answers[question.pk] = rng.choices([1, 2, 3, 4, 5], [2, 4, 3, 2, 1])[0]
        elif kind == Kind.NUMBER:
            answers[question.pk] = rng.randint(question.min_value or 0, min(question.max_value or 120, 120))
        elif kind == Kind.SHORT_TEXT:
            answers[question.pk] = rng.choice(PHRASES)
        elif kind == Kind.LONG_TEXT:
            answers[question.pk] = rng.choice(WISHES)
    return answers


def seed(stdout) -> None:
    questionnaire = Questionnaire.objects.filter(slug=SLUG).first()
    if questionnaire is None:
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        questionnaire = every_kind_questionnaire(
            slug=SLUG,
            title="Il futuro dell'area metropolitana",
            introduction=(
                "Dieci minuti per dire come vivi il territorio e che cosa ti aspetti dal Piano Strategico "
                "Metropolitano nei prossimi tre anni."
            ),
            opens_at=today - timedelta(days=10),
            closes_at=today + timedelta(days=60),
            results_published=True,
        )
    if questionnaire.responses.exists():
        stdout.write(f"Questionario dimostrativo già presente: /questionario/{SLUG}/")
        return
    rng = random.Random(2027)
    structure = Structure.load(questionnaire)
    municipalities = list(Municipality.objects.only("istat_code", "population"))
    codes = [m.istat_code for m in municipalities]
    weights = [m.population for m in municipalities]
    for _ in range(RESPONSES):
        response_submit(
            questionnaire=questionnaire,
            answers=random_answers(structure, rng, codes, weights),
            structure=structure,
            municipality_codes=codes,
        )
    responses_spread_all(questionnaire_id=questionnaire.pk)  # what the worker does a moment later
    stdout.write(f"Questionario dimostrativo con {RESPONSES} risposte: /questionario/{SLUG}/")
