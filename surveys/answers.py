"""What a valid answer is, question by question, shared by the section forms and ``response_submit``.

An answer travels (in the session, then to the service) as plain JSON, keyed by question id:

- single choice, age band, yes/no: ``{"option": id, "other": "text"}`` (``other`` only for «Altro»)
- multiple choice: ``{"options": [id, ...], "other": "text"}``
- Likert and number: an integer; ranking: the option ids from first place down
- short and long text: a string; municipality: an ISTAT code or ``"altro"``
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from psm_portal.lib.memo import Memo
from psm_portal.lib.money import format_number
from surveys.models import OTHER_MUNICIPALITY, Kind, Question, Questionnaire, Section

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 3000
OTHER_TEXT_MAX = 200
# What an integer column holds on PostgreSQL: a number outside it would fail at the INSERT.
NUMBER_MIN, NUMBER_MAX = -(2**31), 2**31 - 1


CACHE_SECONDS = 60
# Reference data: the 108 ISTAT codes, loaded once per process.
_municipality_codes = Memo("surveys.municipality_codes")
# slug -> the published questionnaire being answered, kept in this process for SURVEYS_CACHE_SECONDS,
# since each page of an answer asks for one. A change saved in this process clears it at once; other
# processes see it within that many seconds.
_published = Memo("surveys.published", lambda: settings.SURVEYS_CACHE_SECONDS)
# questionnaire id -> (updated_at, Structure): see ``Structure.cached``.
_structures = Memo("surveys.structures", CACHE_SECONDS)


def municipality_codes() -> frozenset[str]:
    """The 108 ISTAT codes: reference data loaded once per process (not kept while the table is empty)."""
    return _municipality_codes.get_or_load(
        None, lambda: frozenset(Municipality.objects.values_list("istat_code", flat=True)), keep=bool
    )


def published_questionnaire(slug: str) -> Questionnaire | None:
    return _published.get_or_load(
        slug, lambda: Questionnaire.objects.published().filter(slug=slug).first(), keep=lambda q: q is not None
    )


def forget_published(**_kwargs) -> None:
    _published.clear()


# Any save of a questionnaire, ``Questionnaire.touch`` included, drops the copies kept in this process.
post_save.connect(forget_published, sender=Questionnaire, dispatch_uid="surveys.forget_published.save")
post_delete.connect(forget_published, sender=Questionnaire, dispatch_uid="surveys.forget_published.delete")


@dataclass
class Structure:
    """A questionnaire with its sections, questions and options, loaded once (three queries)."""

    questionnaire: Questionnaire
    sections: list[Section]
    questions: dict[int, Question] = field(default_factory=dict)
    option_question: dict[int, int] = field(default_factory=dict)
    _ordered: list[Question] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, questionnaire: Questionnaire) -> Structure:
        sections = list(questionnaire.sections.prefetch_related("questions__options").order_by("order", "id"))
        structure = cls(questionnaire, sections)
        for section in sections:
            for question in section.questions.all():
                structure.questions[question.pk] = question
                for option in question.options.all():
                    structure.option_question[option.pk] = question.pk
        return structure

    @classmethod
    def cached(cls, questionnaire: Questionnaire) -> Structure:
        """The structure, kept in this process while the questionnaire's ``updated_at`` stays the same
        (the builder touches it on every change) and for at most ``CACHE_SECONDS`` (edits in the admin)."""
        entry = _structures.get(questionnaire.pk)
        if entry is not None and entry[0] == questionnaire.updated_at:
            structure = entry[1]
            structure.questionnaire = questionnaire
            return structure
        structure = cls.load(questionnaire)
        _structures.set(questionnaire.pk, (questionnaire.updated_at, structure))
        return structure

    def ordered_questions(self) -> list[Question]:
        if self._ordered is None:
            self._ordered = [q for s in self.sections for q in s.questions.all()]
        return self._ordered

    def first_of_kind(self, kind: str) -> Question | None:
        return next((q for q in self.ordered_questions() if q.kind == kind), None)

    def condition_question(self, question: Question) -> Question | None:
        if question.condition_option_id is None:
            return None
        return self.questions.get(self.option_question.get(question.condition_option_id))

    def condition_label(self, question: Question) -> str:
        controlling = self.condition_question(question)
        if controlling is None:
            return ""
        option = next(o for o in controlling.options.all() if o.pk == question.condition_option_id)
        return _("Rispondi solo se alla domanda «%(question)s» hai risposto «%(option)s»; altrimenti passa oltre.") % {
            "question": controlling.text,
            "option": option.label,
        }

    def is_shown(self, question: Question, answers: Mapping) -> bool:
        """A conditional question is shown only when its controlling choice was made."""
        controlling = self.condition_question(question)
        if controlling is None:
            return True
        value = answers.get(controlling.pk, answers.get(str(controlling.pk)))
        if not isinstance(value, dict):
            return False
        chosen = value.get("options") or ([value["option"]] if value.get("option") else [])
        return question.condition_option_id in chosen


def option_ids(question: Question) -> frozenset[int]:
    # Memoised on the instance: a cached structure's questions answer many requests.
    cached = getattr(question, "_option_ids", None)
    if cached is None:
        cached = question._option_ids = frozenset(o.pk for o in question.options.all())
    return cached


def other_option_id(question: Question) -> int | None:
    if not hasattr(question, "_other_option_id"):
        question._other_option_id = next((o.pk for o in question.options.all() if o.is_other), None)
    return question._other_option_id


def check(question: Question, value, municipality_codes: Iterable[str] | None = None) -> str | None:
    """An Italian error message if ``value`` is not a valid answer to ``question``; None if it is."""
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
        if not isinstance(value, dict) or value.get("option") not in option_ids(question):
            return _("Scegli una delle risposte proposte.")
        if value["option"] == other_option_id(question) and not str(value.get("other", "")).strip():
            return _("Hai scelto «Altro»: scrivi quale.")
        if len(str(value.get("other", ""))) > OTHER_TEXT_MAX:
            return _("Il testo di «Altro» può avere al massimo %(n)d caratteri.") % {"n": OTHER_TEXT_MAX}
    elif kind == Kind.MULTIPLE:
        chosen = value.get("options") if isinstance(value, dict) else None
        if not isinstance(chosen, list) or not chosen or not set(chosen) <= option_ids(question):
            return _("Scegli una o più delle risposte proposte.")
        if len(set(chosen)) != len(chosen):
            return _("Ogni risposta si può scegliere una volta sola.")
        if question.max_choices and len(chosen) > question.max_choices:
            return _("Puoi scegliere al massimo %(n)d risposte.") % {"n": question.max_choices}
        if other_option_id(question) in chosen and not str(value.get("other", "")).strip():
            return _("Hai scelto «Altro»: scrivi quale.")
        if len(str(value.get("other", ""))) > OTHER_TEXT_MAX:
            return _("Il testo di «Altro» può avere al massimo %(n)d caratteri.") % {"n": OTHER_TEXT_MAX}
    elif kind == Kind.LIKERT:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            return _("Scegli un valore da 1 a 5.")
    elif kind == Kind.NUMBER:
        if not isinstance(value, int) or isinstance(value, bool):
            return _("Scrivi un numero intero, senza punti né virgole.")
        if not NUMBER_MIN <= value <= NUMBER_MAX:
            return _("Scrivi un numero da %(lo)s a %(hi)s.") % {
                "lo": format_number(NUMBER_MIN),
                "hi": format_number(NUMBER_MAX),
            }
        if question.min_value is not None and value < question.min_value:
            return _("Il numero deve essere almeno %(n)d.") % {"n": question.min_value}
        if question.max_value is not None and value > question.max_value:
            return _("Il numero deve essere al massimo %(n)d.") % {"n": question.max_value}
    elif kind == Kind.RANKING:
        top = question.rank_top or len(option_ids(question))
        if not isinstance(value, list) or not value or not set(value) <= option_ids(question):
            return _("Metti in ordine le voci proposte.")
        if len(set(value)) != len(value):
            return _("Ogni voce può occupare una sola posizione.")
        if len(value) > top:
            return _("Puoi ordinare al massimo %(n)d voci.") % {"n": top}
        if question.required and len(value) < top:
            return _("Indica tutte le prime %(n)d posizioni.") % {"n": top}
    elif kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        limit = SHORT_TEXT_MAX if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
        if not isinstance(value, str) or not value.strip():
            return _("Scrivi una risposta.")
        if len(value) > limit:
            return _("La risposta può avere al massimo %(n)d caratteri (ne hai scritti %(m)d).") % {
                "n": limit,
                "m": len(value),
            }
    elif kind == Kind.MUNICIPALITY:
        codes = set(municipality_codes) if municipality_codes is not None else None
        if not isinstance(value, str) or (value != OTHER_MUNICIPALITY and (codes is None or value not in codes)):
            return _("Scegli il tuo comune dall'elenco, oppure «Altro comune / non residente».")
    return None


def check_all(structure: Structure, answers: Mapping[int, object], municipality_codes: Iterable[str]) -> dict:
    """Every answer of a whole response: ``{question_id: message}`` for those that are wrong or missing."""
    codes = set(municipality_codes)
    errors: dict[int, str] = {}
    for pk in answers:
        if pk not in structure.questions:
            errors[pk] = _("Domanda sconosciuta.")
    for question in structure.ordered_questions():
        shown = structure.is_shown(question, answers)
        value = answers.get(question.pk)
        if value is None:
            if shown and question.required:
                errors[question.pk] = _("Questa domanda è obbligatoria.")
            continue
        if not shown:
            errors[question.pk] = _("Questa domanda non andava compilata con le risposte date.")
            continue
        message = check(question, value, codes)
        if message:
            errors[question.pk] = message
    return errors
