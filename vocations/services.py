"""Writes of the vocations: rounds opened and closed, answers of comuni and offices, stakeholders' contributions,
published priorities and the reference scenario. Keyword-only, one transaction, audited, Italian messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from municipalities.models import Area
from phases.reminders import send_daily
from psm_portal.accounts.models import Role, User
from psm_portal.audit.services import audit_record
from vocations.models import (
    MAX_PRIORITIES,
    SCORES,
    Answer,
    Contribution,
    Priority,
    Rating,
    Reminder,
    Round,
    RoundStatus,
    Scenario,
    Vocation,
)


@dataclass(frozen=True)
class RatingInput:
    score: int | None
    priority: bool = False
    reason: str = ""


# --- Rounds -------------------------------------------------------------------------------------------------------


def round_create(*, title: str, deadline, actor: User) -> Round:
    title = title.strip()
    if not title:
        raise ValidationError(_("Indicate un titolo per la consultazione."))
    with transaction.atomic():
        round_ = Round.objects.create(title=title[:200], deadline=deadline)
        audit_record(actor=actor, action="vocations.round_create", obj=round_, after={"title": round_.title})
    return round_


def round_open(*, round_: Round, actor: User) -> Round:
    """The team opens a round in preparation: mayors, offices and stakeholders may answer until it closes."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status != RoundStatus.DRAFT:
            raise ValidationError(_("Si può aprire solo una consultazione in preparazione."))
        if Round.objects.filter(status=RoundStatus.OPEN).exists():
            raise ValidationError(_("C'è già una consultazione aperta: chiudetela prima di aprirne un'altra."))
        round_.open()
        try:
            with transaction.atomic():
                round_.save(update_fields=["status", "opened_at"])
        except IntegrityError as exc:  # a second team member opened another round at the same moment
            raise ValidationError(_("C'è già una consultazione aperta: chiudetela prima di aprirne un'altra.")) from exc
        audit_record(
            actor=actor, action="vocations.round_open", obj=round_, before={"status": "draft"}, after={"status": "open"}
        )
    return round_


def round_close(*, round_: Round, actor: User) -> Round:
    """The team closes an open round: answers are frozen and the results become public."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status != RoundStatus.OPEN:
            raise ValidationError(_("Questa consultazione non è aperta."))
        round_.close()
        round_.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action="vocations.round_close",
            obj=round_,
            before={"status": "open"},
            after={"status": "closed", "answers": round_.answers.count()},
        )
    return round_


# --- Answers ------------------------------------------------------------------------------------------------------


def speaker_of(user) -> dict | None:
    """For whom the signed-in user answers: a mayor for their comune, office staff for their office."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.MAYOR and user.municipality_id:
        return {"municipality_id": user.municipality_id}
    if user.role == Role.OFFICE and user.office_id:
        return {"office_id": user.office_id}
    return None


def vocations_for(user) -> list[Vocation]:
    """The vocations a user rates: all of them for a mayor, those of the office's field for office staff."""
    speaker = speaker_of(user)
    if speaker is None:
        return []
    vocations = Vocation.objects.all()
    if "office_id" in speaker:
        vocations = vocations.for_office(speaker["office_id"])
    return list(vocations)


def answer_submit(*, user: User, round_: Round, ratings: Mapping[int, RatingInput]) -> Answer:
    """A mayor or an office rates every vocation it is asked about (1–5) and picks up to three priorities,
    each with a short reason. Sent again, it replaces the previous answer of the same comune or office."""
    speaker = speaker_of(user)
    if speaker is None:
        raise ValidationError(_("Rispondono solo i sindaci (per il loro comune) e gli uffici (per il loro settore)."))
    if not round_.is_open:
        raise ValidationError(_("La consultazione non è aperta: non si possono inviare risposte."))
    vocations = vocations_for(user)
    if not vocations:
        raise ValidationError(_("Nessuna vocazione riguarda il vostro ufficio in questa consultazione."))
    errors = []
    clean: dict[int, RatingInput] = {}
    for vocation in vocations:
        given = ratings.get(vocation.pk)
        if given is None or given.score not in SCORES:
            errors.append(_("Date un punteggio da 1 a 5 a «%(name)s».") % {"name": vocation.name})
            continue
        reason = (given.reason or "").strip()[:500]
        if given.priority and not reason:
            errors.append(_("Spiegate in breve perché «%(name)s» è una priorità.") % {"name": vocation.name})
        clean[vocation.pk] = RatingInput(given.score, bool(given.priority), reason)
    if sum(1 for r in clean.values() if r.priority) > MAX_PRIORITIES:
        errors.append(_("Si possono indicare al massimo %(n)s vocazioni prioritarie.") % {"n": MAX_PRIORITIES})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The round is locked while the answer is written: a close in between waits, and then finds it.
        if Round.objects.select_for_update().filter(pk=round_.pk, status=RoundStatus.OPEN).first() is None:
            raise ValidationError(_("La consultazione non è aperta: non si possono inviare risposte."))
        answer, created = Answer.objects.get_or_create(round=round_, **speaker, defaults={"author": user})
        if not created:
            answer.author = user
            answer.save(update_fields=["author", "updated_at"])
            answer.ratings.all().delete()
        Rating.objects.bulk_create(
            Rating(answer=answer, vocation_id=pk, score=r.score, priority=r.priority, reason=r.reason)
            for pk, r in clean.items()
        )
        audit_record(
            actor=user,
            action="vocations.answer_submit",
            obj=answer,
            after={"priorities": sorted(pk for pk, r in clean.items() if r.priority)},
        )
    return answer


def contribution_add(*, user: User, round_: Round, vocation: Vocation | None, text: str) -> Contribution:
    """A stakeholder adds a reasoned contribution while the round is open."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.STAKEHOLDER or not user.is_active:
        raise ValidationError(_("I contributi motivati sono riservati agli stakeholder."))
    if not round_.is_open:
        raise ValidationError(_("La consultazione non è aperta: non si possono inviare contributi."))
    text = (text or "").strip()
    if len(text) < 20:
        raise ValidationError(_("Motivate il contributo in almeno 20 caratteri."))
    with transaction.atomic():
        contribution = Contribution.objects.create(round=round_, vocation=vocation, author=user, text=text[:3000])
        audit_record(actor=user, action="vocations.contribution_add", obj=contribution)
    return contribution


# --- Reminders ---------------------------------------------------------------------------------------------------


def reminders_enqueue(*, round_: Round, actor: User) -> None:
    """The team asks for reminders to the mayors whose comune has not answered; the worker sends them."""
    from vocations.tasks import send_round_reminders  # vocations.tasks imports this module

    if not round_.is_open:
        raise ValidationError(_("I promemoria si inviano solo mentre la consultazione è aperta."))
    audit_record(actor=actor, action="vocations.remind", obj=round_, after={"day": timezone.localdate().isoformat()})
    transaction.on_commit(lambda: send_round_reminders.delay(round_.pk))


def reminders_send(*, round_: Round) -> int:
    """E-mail the mayors whose comune has not answered the open round; at most one reminder per mayor per day."""
    if not round_.is_open:
        return 0
    answered = Answer.objects.filter(round=round_, municipality__isnull=False).values("municipality_id")
    mayors = (
        User.objects.active()
        .filter(role=Role.MAYOR, municipality__isnull=False)
        .exclude(municipality_id__in=answered)
        .select_related("municipality")
    )
    today = timezone.localdate()
    context = {
        "round": round_,
        "deadline": date_format(timezone.localtime(round_.deadline), "SHORT_DATE_FORMAT") if round_.deadline else "",
        "link": settings.SITE_URL + reverse("vocations:answer"),
    }
    return send_daily(
        mayors,
        claim=lambda mayor: Reminder.objects.create(user=mayor, round=round_, day=today),
        release=lambda mayor: Reminder.objects.filter(user=mayor, day=today).delete(),
        subject=_("Promemoria: le vocazioni del territorio per il PSM"),
        body=lambda mayor: render_to_string("vocations/email/reminder.txt", {**context, "mayor": mayor}),
    )


# --- Priorities and scenarios ---------------------------------------------------------------------------------------


def priorities_publish(
    *, round_: Round, area: Area | None, vocations: Iterable[Vocation], rationale: str, evidence: str, actor: User
) -> list[Priority]:
    """The team publishes the priority vocations of an area (or, with no area, of the whole territory) from a
    closed round, with the rationale and the links to the evidence; it replaces that area's earlier list."""
    if not round_.is_closed:
        raise ValidationError(_("Le vocazioni prioritarie si pubblicano dopo la chiusura della consultazione."))
    vocations = list(vocations)
    if not vocations:
        raise ValidationError(_("Scegliete almeno una vocazione prioritaria."))
    rationale = (rationale or "").strip()
    if len(rationale) < 20:
        raise ValidationError(_("Motivate la scelta in almeno 20 caratteri."))
    with transaction.atomic():
        existing = Priority.objects.filter(round=round_, area=area)
        before = sorted(existing.values_list("vocation_id", flat=True))
        existing.delete()
        now = timezone.now()
        priorities = Priority.objects.bulk_create(
            Priority(
                round=round_,
                area=area,
                vocation=v,
                rationale=rationale[:3000],
                evidence=(evidence or "")[:3000],
                published_at=now,
            )
            for v in vocations
        )
        audit_record(
            actor=actor,
            action="vocations.priorities_publish",
            obj=area or round_,
            before={"vocations": before},
            after={"round": round_.pk, "vocations": sorted(v.pk for v in vocations)},
        )
    return priorities


def scenario_choose_reference(*, scenario: Scenario, actor: User) -> Scenario:
    """The team records the reference scenario the plan builds on (an audited act that replaces an earlier one)."""
    with transaction.atomic():
        previous = Scenario.objects.select_for_update().filter(is_reference=True).first()
        if previous and previous.pk == scenario.pk:
            raise ValidationError(_("Questo è già lo scenario di riferimento."))
        Scenario.objects.filter(is_reference=True).update(is_reference=False)
        scenario.is_reference, scenario.chosen_at = True, timezone.now()
        scenario.save(update_fields=["is_reference", "chosen_at"])
        audit_record(
            actor=actor,
            action="vocations.scenario_reference",
            obj=scenario,
            before={"reference": previous.slug if previous else None},
            after={"reference": scenario.slug},
        )
    return scenario
