"""factory_boy factories of questionnaires, sections and questions, and ``every_kind_questionnaire``:
a questionnaire with every kind of question, shared by the tests, the benchmarks and the demo seed."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from surveys.demo import PRIVACY_NOTICE, add_every_kind_of_question
from surveys.models import AGE_BANDS, YES_NO, Kind, Option, Question, Questionnaire, Section


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Questionario di prova {n}")
    slug = factory.Sequence(lambda n: f"questionario-{n}")
    introduction = "Aiutaci a costruire il piano."
    privacy_notice = PRIVACY_NOTICE
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    status = Questionnaire.Status.PUBLISHED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Sezione {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question; ``options=[...]`` labels, fixed options for age band and yes/no, ``other=True`` adds «Altro»."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    questionnaire = factory.LazyAttribute(lambda o: o.section.questionnaire)
    kind = Kind.SINGLE
    text = factory.Sequence(lambda n: f"Domanda {n}?")
    order = factory.Sequence(lambda n: n)
    required = True

    @factory.post_generation
    def options(obj, create, extracted, **kwargs):
        if not create:
            return
        labels = list(extracted or [])
        if obj.kind == Kind.AGE_BAND:
            labels = AGE_BANDS
        elif obj.kind == Kind.YES_NO:
            labels = YES_NO
        for index, label in enumerate(labels):
            Option.objects.create(question=obj, label=label, order=index)
        if obj.allow_other:
            Option.objects.create(question=obj, label="Altro", order=len(labels), is_other=True)


def every_kind_questionnaire(**kwargs) -> Questionnaire:
    """A questionnaire with every kind of question in three sections, with a condition inside
    a section and one across sections: the shape the tests and the demo share."""
    return add_every_kind_of_question(QuestionnaireFactory(**kwargs))
