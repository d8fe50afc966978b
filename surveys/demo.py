"""Demo content for ``manage.py seed_demo``: a published questionnaire with every kind of question
and a few hundred generated responses, with results public. Idempotent.

Built through the questionnaire builder's services, never with the test factories (a development-only package);
``add_every_kind_of_question`` is the shape the demo and the tests share.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from municipalities.models import Municipality
from psm_portal.accounts.models import User
from surveys.answers import Structure, other_option_id
from surveys.models import Kind, Question, Questionnaire, Section
from surveys.services import (
    question_save,
    questionnaire_publish,
    response_submit,
    results_publish,
    section_save,
)
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
PRIVACY_NOTICE = "Titolare del trattamento: Città Metropolitana di Messina. Le risposte sono anonime."


def add_every_kind_of_question(questionnaire: Questionnaire, *, actor: User | None = None) -> Questionnaire:
    """Three sections with every kind of question, a condition inside a section and one across sections,
    added to a questionnaire that has none yet, as the builder adds them."""

    def add_section(title: str) -> Section:
        return section_save(section=Section(questionnaire=questionnaire, title=title), actor=actor)

    def add_question(section: Section, kind: str, text: str, options: tuple[str, ...] = (), **fields) -> Question:
        return question_save(
            question=Question(section=section, kind=kind, text=text, **fields), option_labels=list(options), actor=actor
        )

    about = add_section("Chi sei")
    add_question(about, Kind.MUNICIPALITY, "In quale comune vivi?")
    add_question(about, Kind.AGE_BAND, "Quanti anni hai?")
    commuter = add_question(about, Kind.YES_NO, "Ti sposti ogni giorno per studio o lavoro?")
    add_question(
        about,
        Kind.NUMBER,
        "Quanti minuti impieghi per lo spostamento?",
        help_text="Solo andata, in minuti.",
        min_value=0,
        max_value=300,
        condition_option=commuter.options.get(label="Sì"),
    )
    priorities = add_section("Priorità")
    transport = add_question(
        priorities,
        Kind.SINGLE,
        "Quale mezzo usi di più?",
        ("Auto", "Autobus", "Treno", "Nave o aliscafo"),
        allow_other=True,
    )
    add_question(
        priorities,
        Kind.MULTIPLE,
        "Quali temi ti stanno più a cuore?",
        ("Trasporti", "Lavoro", "Ambiente", "Turismo", "Scuola"),
        allow_other=True,
        max_choices=3,
    )
    add_question(
        priorities,
        Kind.RANKING,
        "Metti in ordine le priorità per i prossimi tre anni",
        ("Strade", "Porti", "Scuole", "Dissesto idrogeologico", "Digitale"),
        rank_top=3,
    )
    add_question(
        priorities,
        Kind.SINGLE,
        "Quanto spesso prendi la nave?",
        ("Mai", "Qualche volta l'anno", "Ogni mese", "Ogni settimana"),
        widget="select",
        required=False,
    )
    opinions = add_section("Opinioni")
    add_question(opinions, Kind.LIKERT, "Il territorio metropolitano è ben collegato")
    add_question(
        opinions,
        Kind.SHORT_TEXT,
        "Quale linea di trasporto useresti se ci fosse?",
        required=False,
        condition_option=transport.options.get(label="Autobus"),
    )
    add_question(opinions, Kind.SHORT_TEXT, "In una parola, il tuo territorio", required=False)
    add_question(opinions, Kind.LONG_TEXT, "Che cosa dovrebbe cambiare nei prossimi anni?", required=False)
    return questionnaire


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
        team = User.objects.filter(email="team@demo.psm.local").first()
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        questionnaire = Questionnaire.objects.create(
            slug=SLUG,
            title="Il futuro dell'area metropolitana",
            introduction=(
                "Dieci minuti per dire come vivi il territorio e che cosa ti aspetti dal Piano Strategico "
                "Metropolitano nei prossimi tre anni."
            ),
            privacy_notice=PRIVACY_NOTICE,
            opens_at=today - timedelta(days=10),
            closes_at=today + timedelta(days=60),
        )
        add_every_kind_of_question(questionnaire, actor=team)
        questionnaire_publish(questionnaire=questionnaire, actor=team)
        results_publish(questionnaire=questionnaire, actor=team)
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
