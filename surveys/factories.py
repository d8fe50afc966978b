"""factory_boy factories of questionnaires, sections and questions, and ``every_kind_questionnaire``:
a questionnaire with every kind of question, shared by the tests, the benchmarks and the demo seed."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from surveys.models import AGE_BANDS, YES_NO, Kind, Option, Question, Questionnaire, Section


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Questionario di prova {n}")
    slug = factory.Sequence(lambda n: f"questionario-{n}")
    introduction = "Aiutaci a costruire il piano."
    privacy_notice = "Titolare del trattamento: Città Metropolitana di Messina. Le risposte sono anonime."
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
    questionnaire = QuestionnaireFactory(**kwargs)
    about = SectionFactory(questionnaire=questionnaire, title="Chi sei", order=1)
    QuestionFactory(section=about, kind=Kind.MUNICIPALITY, text="In quale comune vivi?", order=1)
    QuestionFactory(section=about, kind=Kind.AGE_BAND, text="Quanti anni hai?", order=2)
    commuter = QuestionFactory(
        section=about, kind=Kind.YES_NO, text="Ti sposti ogni giorno per studio o lavoro?", order=3
    )
    QuestionFactory(
        section=about,
        kind=Kind.NUMBER,
        text="Quanti minuti impieghi per lo spostamento?",
        help_text="Solo andata, in minuti.",
        min_value=0,
        max_value=300,
        order=4,
        condition_option=commuter.options.get(label="Sì"),
    )
    priorities = SectionFactory(questionnaire=questionnaire, title="Priorità", order=2)
    transport = QuestionFactory(
        section=priorities,
        kind=Kind.SINGLE,
        text="Quale mezzo usi di più?",
        options=["Auto", "Autobus", "Treno", "Nave o aliscafo"],
        allow_other=True,
        order=1,
    )
    QuestionFactory(
        section=priorities,
        kind=Kind.MULTIPLE,
        text="Quali temi ti stanno più a cuore?",
        options=["Trasporti", "Lavoro", "Ambiente", "Turismo", "Scuola"],
        allow_other=True,
        max_choices=3,
        order=2,
    )
    QuestionFactory(
        section=priorities,
        kind=Kind.RANKING,
        text="Metti in ordine le priorità per i prossimi tre anni",
        options=["Strade", "Porti", "Scuole", "Dissesto idrogeologico", "Digitale"],
        rank_top=3,
        order=3,
    )
    QuestionFactory(
        section=priorities,
        kind=Kind.SINGLE,
        widget="select",
        text="Quanto spesso prendi la nave?",
        options=["Mai", "Qualche volta l'anno", "Ogni mese", "Ogni settimana"],
        required=False,
        order=4,
    )
    opinions = SectionFactory(questionnaire=questionnaire, title="Opinioni", order=3)
    QuestionFactory(
        section=opinions,
        kind=Kind.LIKERT,
        text="Il territorio metropolitano è ben collegato",
        order=1,
    )
    QuestionFactory(
        section=opinions,
        kind=Kind.SHORT_TEXT,
        text="Quale linea di trasporto useresti se ci fosse?",
        required=False,
        order=2,
        condition_option=transport.options.get(label="Autobus"),
    )
    QuestionFactory(
        section=opinions, kind=Kind.SHORT_TEXT, text="In una parola, il tuo territorio", required=False, order=3
    )
    QuestionFactory(
        section=opinions,
        kind=Kind.LONG_TEXT,
        text="Che cosa dovrebbe cambiare nei prossimi anni?",
        required=False,
        order=4,
    )
    return questionnaire
