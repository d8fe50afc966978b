"""Writes of the questionnaire: a citizen's response, and the team's builder operations."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from psm_portal.audit.services import audit_record
from psm_portal.lib.ratelimit import within_limit
from surveys.answers import Structure, check_all
from surveys.models import (
    AGE_BANDS,
    EDITABLE_OPTION_KINDS,
    OTHER_MUNICIPALITY,
    YES_NO,
    Kind,
    Option,
    Question,
    Questionnaire,
    Response,
    Section,
)

# --- Abuse --------------------------------------------------------------------


def ip_hash(ip: str) -> str:
    """A salted hash of an address: enough to count, useless to find the person."""
    salt = (getattr(settings, "SURVEYS_IP_SALT", "") or settings.SECRET_KEY).encode()
    return hmac.new(salt, (ip or "").encode(), hashlib.sha256).hexdigest()


def rate_limit_allows(*, questionnaire: Questionnaire, network: str | None) -> bool:
    """Count one submission from ``network`` (``psm_portal.lib.clients.client_network``: an IPv4 address or an
    IPv6 /64); False once ``SURVEYS_RATE_LIMIT`` were counted in the window. The counter lives in the cache under
    the hashed network and expires with the window: nothing about the address reaches the database. With the
    cache unreachable it lets the submission through (``psm_portal.lib.ratelimit``)."""
    return within_limit(
        f"surveys:{questionnaire.pk}",
        ip_hash(network or ""),
        limit=settings.SURVEYS_RATE_LIMIT,
        window=settings.SURVEYS_RATE_WINDOW_SECONDS,
    )


class AlreadySubmitted(ValidationError):
    """The answers carried by this form were stored already: the same signed form was sent again."""


# --- Responses ----------------------------------------------------------------


def _insert_response(response: Response, payload: dict) -> bool:
    """Store the response with its answers (as ``pending`` JSON) in one INSERT, in autocommit: a
    single round trip to the database, like the leanest write. Written out by hand because the
    ORM's ``save`` costs twice the CPU for this row (0.17 against 0.08 ms, ``bench/questionnaire.py``),
    on the request every citizen makes. False, and nothing stored, when a response with the same
    ``nonce`` exists: the unique index decides, so two copies of one form sent at once store one."""
    cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Response._meta.db_table} "
            "(id, questionnaire_id, submitted_on, municipality_id, resident_elsewhere, age_band_id, pending, nonce) "
            f"VALUES (%s, %s, %s, %s, %s, %s, {cast}, %s) ON CONFLICT (nonce) DO NOTHING",
            [
                response.pk.hex,  # what both PostgreSQL's uuid and SQLite's char(32) accept
                response.questionnaire_id,
                response.submitted_on,
                response.municipality_id,
                response.resident_elsewhere,
                response.age_band_id,
                json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                response.nonce.hex if response.nonce else None,
            ],
        )
        return cursor.rowcount == 1


def response_submit(
    *,
    questionnaire: Questionnaire,
    answers: Mapping[int, object],
    structure: Structure | None = None,
    municipality_codes: Iterable[str] | None = None,
    nonce: uuid.UUID | None = None,
    now=None,
) -> Response:
    """Store one anonymous response with all its answers at once, or nothing (``ValidationError``).
    ``nonce``, drawn with the draft and carried by the form, makes the form single-use: sent again it
    stores nothing (``AlreadySubmitted``).

    The answers are kept on the response as sent (``pending``) and spread into ``Answer`` rows and
    running counts soon after, in batches (``surveys.spreading``). Every reader of answers or counts
    spreads what is still pending first, so nothing is ever missing.
    """
    now = now or timezone.now()
    if not questionnaire.is_open(now):
        raise ValidationError(_("Il questionario non accetta risposte in questo momento."))
    structure = structure or Structure.load(questionnaire)
    if municipality_codes is None:
        municipality_codes = Municipality.objects.values_list("istat_code", flat=True)
    answers = {int(k): v for k, v in answers.items() if v is not None}
    errors = check_all(structure, answers, municipality_codes)
    if errors:
        raise ValidationError({str(pk): message for pk, message in errors.items()})
    response = Response(questionnaire=questionnaire, submitted_on=timezone.localdate(now), nonce=nonce)
    residence = structure.first_of_kind(Kind.MUNICIPALITY)
    if residence is not None and residence.pk in answers:
        value = answers[residence.pk]
        response.resident_elsewhere = value == OTHER_MUNICIPALITY
        response.municipality_id = None if response.resident_elsewhere else value
    age = structure.first_of_kind(Kind.AGE_BAND)
    if age is not None and age.pk in answers:
        response.age_band_id = answers[age.pk]["option"]
    response.pending = {str(pk): value for pk, value in answers.items()}
    if not _insert_response(response, response.pending):
        raise AlreadySubmitted(_("Questa risposta è già stata inviata."))
    response._state.adding = False
    return response


# --- Builder ------------------------------------------------------------------


# What a question may no longer change once answers exist: the results would change meaning.
LOCKED_FIELDS = ("kind", "max_choices", "allow_other", "rank_top", "min_value", "max_value", "condition_option")


def ensure_unlocked(questionnaire: Questionnaire, what: str) -> None:
    """Refuse (``ValidationError``) a change that would corrupt the results already collected."""
    if questionnaire.has_responses():
        raise ValidationError(
            _(
                "Il questionario ha già delle risposte: %(what)s cambierebbe il significato dei risultati. "
                "Correggi solo i testi, oppure usa «Duplica come nuova versione»."
            )
            % {"what": what}
        )


def _fixed_options(kind: str) -> list[str]:
    if kind == Kind.AGE_BAND:
        return AGE_BANDS
    if kind == Kind.YES_NO:
        return YES_NO
    return []


def question_save(*, question: Question, option_labels: list[str], actor) -> Question:
    """Create or update a question and its options. Once answers exist only texts may change."""
    questionnaire = question.section.questionnaire
    question.questionnaire = questionnaire
    labels = [label.strip() for label in option_labels if label.strip()]
    if question.kind not in EDITABLE_OPTION_KINDS:
        labels = _fixed_options(question.kind)
    with transaction.atomic():
        if question.pk is None:
            ensure_unlocked(questionnaire, _("aggiungere una domanda"))
            question.order = (
                questionnaire.questions.filter(section=question.section).aggregate(m=Max("order"))["m"] or 0
            ) + 1
            question.save()
            existing: list[Option] = []
        else:
            before = Question.objects.get(pk=question.pk)
            existing = list(question.options.filter(is_other=False))
            if questionnaire.has_responses():
                changed = [f for f in LOCKED_FIELDS if getattr(before, f) != getattr(question, f)]
                if before.section_id != question.section_id:
                    changed.append("section")
                if changed or len(labels) != len(existing):
                    raise ValidationError(
                        _(
                            "Il questionario ha già delle risposte: si possono correggere i testi, non cambiare "
                            "tipo, opzioni, limiti o condizioni. Usa «Duplica come nuova versione»."
                        )
                    )
            question.save()
        for index, label in enumerate(labels):
            if index < len(existing):
                option = existing[index]
                if option.label != label or option.order != index:
                    option.label, option.order = label, index
                    option.save(update_fields=["label", "order"])
            else:
                Option.objects.create(question=question, label=label, order=index)
        questionnaire.touch()
        for option in existing[len(labels) :]:
            if option.answers.exists() or option.dependent_questions.exists():
                raise ValidationError(
                    _("L'opzione «%(label)s» è usata: non si può togliere.") % {"label": option.label}
                )
            option.delete()
        other = question.options.filter(is_other=True).first()
        wants_other = question.allow_other and question.kind in (Kind.SINGLE, Kind.MULTIPLE)
        if wants_other and other is None:
            Option.objects.create(question=question, label=_("Altro"), order=len(labels), is_other=True)
        elif wants_other:
            other.order = len(labels)
            other.save(update_fields=["order"])
        elif other is not None:
            other.delete()
    return question


def question_delete(*, question: Question, actor) -> None:
    ensure_unlocked(question.questionnaire, _("togliere una domanda"))
    if Question.objects.filter(condition_option__question=question).exists():
        raise ValidationError(_("Altre domande dipendono da questa: togli prima la loro condizione."))
    question.delete()
    question.questionnaire.touch()


def section_save(*, section: Section, actor) -> Section:
    if section.pk is None:
        ensure_unlocked(section.questionnaire, _("aggiungere una sezione"))
        section.order = (section.questionnaire.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    section.save()
    section.questionnaire.touch()
    return section


def section_delete(*, section: Section, actor) -> None:
    ensure_unlocked(section.questionnaire, _("togliere una sezione"))
    if Question.objects.filter(condition_option__question__section=section).exclude(section=section).exists():
        raise ValidationError(_("Domande di altre sezioni dipendono da questa: togli prima la loro condizione."))
    section.delete()
    section.questionnaire.touch()


def item_move(*, item: Section | Question, direction: int, actor) -> None:
    """Swap a section or a question with its neighbour (direction -1 up, +1 down)."""
    questionnaire = item.questionnaire
    ensure_unlocked(questionnaire, _("cambiare l'ordine"))
    siblings = list(
        questionnaire.sections.order_by("order", "id")
        if isinstance(item, Section)
        else item.section.questions.order_by("order", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index + direction
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings, start=1):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order"])
        # Raising inside the block undoes the move.
        _check_condition_order(questionnaire)
        questionnaire.touch()


def _check_condition_order(questionnaire: Questionnaire) -> None:
    """A condition must point at an earlier question: a move that breaks this is undone."""
    structure = Structure.load(questionnaire)
    position = {q.pk: i for i, q in enumerate(structure.ordered_questions())}
    for question in structure.ordered_questions():
        controlling = structure.condition_question(question)
        if controlling is not None and position[controlling.pk] >= position[question.pk]:
            raise ValidationError(
                _("La domanda «%(q)s» dipende da «%(c)s», che deve venire prima.")
                % {"q": question.text, "c": controlling.text}
            )


def questionnaire_publish(*, questionnaire: Questionnaire, actor) -> None:
    """Open the questionnaire to citizens (from its opening date). Needs at least one question."""
    if not questionnaire.questions.exists():
        raise ValidationError(_("Aggiungi almeno una domanda prima di pubblicare."))
    before = questionnaire.status
    questionnaire.publish()
    audit_record(actor=actor, action="surveys.publish", obj=questionnaire, before=before, after=questionnaire.status)


def results_publish(*, questionnaire: Questionnaire, actor, value: bool = True) -> None:
    before = questionnaire.results_published
    questionnaire.set_results_published(value)
    audit_record(actor=actor, action="surveys.results_publish", obj=questionnaire, before=before, after=value)


def questionnaire_duplicate(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    """A draft copy, as the next version: same sections, questions, options and conditions, no answers."""
    with transaction.atomic():
        version = questionnaire.version + 1
        base = questionnaire.slug.rsplit("-v", 1)[0] if questionnaire.version > 1 else questionnaire.slug
        slug = f"{base}-v{version}"[:80]
        while Questionnaire.objects.filter(slug=slug).exists():
            version += 1
            slug = f"{base}-v{version}"[:80]
        copy = Questionnaire.objects.create(
            title=questionnaire.title,
            slug=slug,
            introduction=questionnaire.introduction,
            privacy_notice=questionnaire.privacy_notice,
            opens_at=questionnaire.opens_at,
            closes_at=questionnaire.closes_at,
            version=version,
            previous_version=questionnaire,
        )
        option_map: dict[int, Option] = {}
        pending: list[tuple[Question, int]] = []
        for section in questionnaire.sections.prefetch_related("questions__options"):
            new_section = Section.objects.create(
                questionnaire=copy, title=section.title, description=section.description, order=section.order
            )
            for question in section.questions.all():
                old_condition = question.condition_option_id
                old_options = list(question.options.all())
                question.pk = None
                question._state.adding = True
                question.questionnaire = copy
                question.section = new_section
                question.condition_option = None
                question.save()
                if old_condition:
                    pending.append((question, old_condition))
                for option in old_options:
                    old_pk = option.pk
                    option.pk = None
                    option._state.adding = True
                    option.question = question
                    option.save()
                    option_map[old_pk] = option
        for question, old_condition in pending:
            question.condition_option = option_map[old_condition]
            question.save(update_fields=["condition_option"])
        audit_record(actor=actor, action="surveys.duplicate", obj=copy, before=questionnaire.slug, after=copy.slug)
    return copy
