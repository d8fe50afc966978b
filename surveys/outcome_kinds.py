"""What the questionnaire gives outcomes (registered by ``SurveysConfig.ready``): each question is an input, and
the results page says what it informed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from outcomes.registry import InputKind, register_input
from surveys.models import Question


def register() -> None:
    register_input(
        InputKind(
            model="surveys.question",
            label=_("Domanda del questionario"),
            describe=lambda question: f"{question.section.questionnaire.title}: «{question.text}»",
            queryset=lambda: Question.objects.select_related("section__questionnaire"),
        )
    )
