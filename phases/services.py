"""Writes of the process: phases, Vision versions, objectives, positions, reminders and notifications, istanze."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.forms import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from outcomes.models import Outcome
from outcomes.notices import notice_send
from outcomes.services import outcome_clear, outcome_record
from phases import coverage
from phases.models import (
    DocumentKind,
    Need,
    NeedAttachment,
    NeedStatus,
    Objective,
    ObjectiveLevel,
    Phase,
    Position,
    Reminder,
    VisionStatus,
    VisionVersion,
    position_comment_error,
)
from phases.phases import Feature
from phases.predicates import gate
from phases.reminders import send_daily
from phases.reviews import review_kind
from phases.speakers import speaker_for
from psm_portal.accounts.models import Role, User
from psm_portal.audit.services import audit_record
from psm_portal.lib.html import sanitize_html
from psm_portal.lib.uploads import stored_name

logger = logging.getLogger(__name__)


def _short(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# --- Phases -----------------------------------------------------------------------------------------------------


def phase_following(phase: Phase) -> Phase | None:
    """The phase after ``phase`` in the process, if any."""
    return Phase.objects.filter(order__gt=phase.order).order_by("order").first()


def phase_close(*, phase: Phase, actor: User, start_next: bool = False) -> Phase:
    """End a running phase now and, with ``start_next``, start the following phase at the same moment (its
    planned end stays): one act, both changes logged in one transaction. Returns the phase running after it."""
    now = timezone.now()
    if not phase.is_active(now):
        raise ValidationError(_("Si può chiudere solo la fase in corso."))
    following = phase_following(phase) if start_next else None
    if start_next and (following is None or following.ends_at <= now):
        raise ValidationError(_("Non c'è una fase successiva da avviare: chiudi la fase senza avviarne un'altra."))
    before = phase.snapshot()
    phase.close(now)
    with transaction.atomic():
        phase.save(update_fields=["ends_at"])
        audit_record(actor=actor, action="phase.close", obj=phase, before=before, after=phase.snapshot())
        if following is not None:
            following_before = following.snapshot()
            following.starts_at = now
            following.save(update_fields=["starts_at"])
            audit_record(
                actor=actor, action="phase.start", obj=following, before=following_before, after=following.snapshot()
            )
    return following or phase


@dataclass(frozen=True)
class PhaseShift:
    """Another phase's new dates, so that a rescheduled phase does not overlap it."""

    phase: Phase
    starts_at: datetime
    ends_at: datetime


def phase_reschedule_shifts(*, phase: Phase, starts_at, ends_at) -> list[PhaseShift]:
    """What the other phases' dates become if ``phase`` takes these dates: a previous phase that would overlap
    it ends when it starts; the following phases, if the next one would overlap it, all move later by as much,
    keeping their lengths and the gaps between them. Empty when nothing overlaps. Refused (ValidationError)
    when a previous phase would be left with no time at all."""
    if ends_at <= starts_at:
        raise ValidationError(_("La fine deve essere successiva all'inizio."))
    others = list(Phase.objects.exclude(pk=phase.pk).order_by("order"))
    shifts = []
    for other in (o for o in others if o.order < phase.order and o.ends_at > starts_at):
        if other.starts_at >= starts_at:
            raise ValidationError(
                _("La fase «%(phase)s» inizia il %(start)s: la fase «%(this)s» non può iniziare prima.")
                % {"phase": other.name, "start": _short(other.starts_at), "this": phase.name}
            )
        shifts.append(PhaseShift(other, other.starts_at, starts_at))
    following = [o for o in others if o.order > phase.order]
    if following and following[0].starts_at < ends_at:
        delta = ends_at - following[0].starts_at
        shifts.extend(PhaseShift(o, o.starts_at + delta, o.ends_at + delta) for o in following)
    return shifts


def phase_reschedule(*, phase: Phase, actor: User, starts_at, ends_at, shift_others: bool = False) -> Phase:
    """Change a phase's dates (an extension moves its end); logged. The other phases it would overlap are
    refused, or with ``shift_others`` moved as ``phase_reschedule_shifts`` says, each logged, in one transaction."""
    shifts = phase_reschedule_shifts(phase=phase, starts_at=starts_at, ends_at=ends_at)
    if shifts and not shift_others:
        other = shifts[0].phase
        raise ValidationError(
            _("Le date si sovrappongono alla fase «%(phase)s» (dal %(start)s al %(end)s): spostala prima.")
            % {"phase": other.name, "start": _short(other.starts_at), "end": _short(other.ends_at)}
        )
    with transaction.atomic():
        for shift in shifts:
            _phase_move(shift.phase, actor=actor, starts_at=shift.starts_at, ends_at=shift.ends_at)
        _phase_move(phase, actor=actor, starts_at=starts_at, ends_at=ends_at)
    return phase


def _phase_move(phase: Phase, *, actor: User, starts_at, ends_at) -> None:
    before = phase.snapshot()
    phase.starts_at = starts_at
    phase.extend(ends_at)
    phase.save(update_fields=["starts_at", "ends_at"])
    audit_record(actor=actor, action="phase.reschedule", obj=phase, before=before, after=phase.snapshot())


# --- Versions of reviewed documents (the Vision and the other kinds of phases.reviews) ----------------------------


def review_version_create(*, kind: str, actor: User, title: str, text: str) -> VisionVersion:
    """A new draft of a ``kind`` of document, numbered after that kind's last version."""
    with transaction.atomic():
        last = VisionVersion.documents.of_kind(kind).select_for_update().order_by("-number").first()
        version = VisionVersion.documents.create(
            kind=kind,
            number=(last.number + 1) if last else 1,
            title=title.strip(),
            text=sanitize_html(text),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=f"{review_kind(kind).audit_prefix}.create",
            obj=version,
            after={"number": version.number},
        )
    return version


def vision_version_create(*, actor: User, title: str, text: str) -> VisionVersion:
    """A new draft of the Vision, numbered after the last version."""
    return review_version_create(kind=DocumentKind.VISION, actor=actor, title=title, text=text)


def vision_version_update(*, version: VisionVersion, title: str, text: str) -> VisionVersion:
    """Only a draft changes: once a version has been opened, its text is kept as it was."""
    if not version.is_draft:
        raise ValidationError(_("Solo una bozza si può modificare: crea una nuova versione."))
    version.title = title.strip()
    version.text = sanitize_html(text)
    version.save(update_fields=["title", "text", "updated_at"])
    return version


def vision_version_open(*, version: VisionVersion, actor: User, deadline) -> VisionVersion:
    """Open a draft for review until ``deadline``; mayors and offices are told by e-mail. Any kind of document: the
    phase that opens it and the e-mail are its kind's (``phases.reviews``); one version of each kind open at once."""
    now = timezone.now()
    kind = review_kind(version.kind)
    if not version.is_draft:
        raise ValidationError(_("Si può aprire alla consultazione solo una bozza."))
    if deadline <= now:
        raise ValidationError(_("Il termine per le posizioni deve essere nel futuro."))
    if not (phase_gate := gate(kind.feature, now)).open:
        raise ValidationError(phase_gate.message)
    if VisionVersion.documents.of_kind(version.kind).open_for_review().exists():
        raise ValidationError(_("C'è già una versione aperta alla consultazione: chiudila prima."))
    before = version.snapshot()
    version.open(deadline, now)
    try:
        with transaction.atomic():
            version.save(update_fields=["status", "deadline", "opened_at", "updated_at"])
            audit_record(
                actor=actor, action=f"{kind.audit_prefix}.open", obj=version, before=before, after=version.snapshot()
            )
            version_notification_enqueue(version=version)
    except IntegrityError:
        raise ValidationError(_("C'è già una versione aperta alla consultazione: chiudila prima."))
    return version


def vision_version_close(*, version: VisionVersion, actor: User) -> VisionVersion:
    if not version.is_open:
        raise ValidationError(_("Si può chiudere solo la versione aperta alla consultazione."))
    before = version.snapshot()
    version.close()
    with transaction.atomic():
        version.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            action=f"{review_kind(version.kind).audit_prefix}.close",
            obj=version,
            before=before,
            after=version.snapshot(),
        )
    return version


def vision_version_adopt(*, version: VisionVersion, actor: User) -> VisionVersion:
    if version.status != VisionStatus.CLOSED:
        raise ValidationError(_("Si può adottare solo una versione la cui consultazione è chiusa."))
    before = version.snapshot()
    version.adopt()
    with transaction.atomic():
        version.save(update_fields=["status", "adopted_at", "updated_at"])
        audit_record(
            actor=actor,
            action=f"{review_kind(version.kind).audit_prefix}.adopt",
            obj=version,
            before=before,
            after=version.snapshot(),
        )
    return version


# The same acts under names that say they serve every kind of reviewed document.
review_version_update = vision_version_update
review_version_open = vision_version_open
review_version_close = vision_version_close
review_version_adopt = vision_version_adopt


def version_notification_enqueue(*, version: VisionVersion) -> None:
    from phases.tasks import notify_version_opened  # phases.tasks imports this module

    transaction.on_commit(lambda: notify_version_opened.delay(version.pk))


def version_notify(*, version: VisionVersion) -> int:
    """E-mail every active mayor and office member the link and the deadline; once per version."""
    claimed = VisionVersion.documents.filter(pk=version.pk, status=VisionStatus.OPEN, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    version.refresh_from_db()
    kind = review_kind(version.kind)
    recipients = User.objects.active().filter(role__in=[Role.MAYOR, Role.OFFICE]).values_list("email", flat=True)
    context = {
        "version": version,
        "deadline": date_format(timezone.localtime(version.deadline), "SHORT_DATETIME_FORMAT"),
        "link": settings.SITE_URL + reverse(kind.positions_url),
        "vision_link": settings.SITE_URL + reverse(kind.document_url),
    }
    subject = kind.opened_subject % context
    body = render_to_string(kind.opened_template, context)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    try:
        # One SMTP connection for all, one message per person (nobody sees the other addresses).
        return send_mass_mail(messages)
    except Exception:
        # Not all sent: release the claim so that the retried task sends them (some may get it twice,
        # nobody misses it).
        VisionVersion.documents.filter(pk=version.pk).update(notified_at=None)
        raise


# --- Objectives -------------------------------------------------------------------------------------------------


def objective_save(
    *, objective: Objective, indicators_formset: BaseInlineFormSet | None = None, actor: User
) -> Objective:
    """Save a node and its validated indicators in one transaction, keep its descendants' tree order in step;
    logged with the indicators added, changed and deleted."""
    with transaction.atomic():
        creating = objective.pk is None
        # The stored key, whatever the instance carries: the descendants' keys start with it.
        old_key = "" if creating else Objective.objects.filter(pk=objective.pk).values_list("sort_key", flat=True).get()
        objective.sort_key = objective.compute_sort_key()
        objective.save()
        _refresh_sort_keys(objective, old_key)
        after = {"code": objective.code, "title": objective.title}
        if indicators_formset is not None:
            indicators_formset.instance = objective
            indicators_formset.save()
            after["indicators"] = {
                "added": [i.name for i in indicators_formset.new_objects],
                "changed": [i.name for i, _fields in indicators_formset.changed_objects],
                "deleted": [i.name for i in indicators_formset.deleted_objects],
            }
        audit_record(
            actor=actor, action="objective.create" if creating else "objective.update", obj=objective, after=after
        )
    return objective


def _refresh_sort_keys(objective: Objective, old_key: str) -> None:
    """A node's key starts with its parent's: one UPDATE gives all its descendants the new prefix."""
    if not old_key or old_key == objective.sort_key:
        return
    Objective.objects.filter(sort_key__startswith=f"{old_key}.").update(
        sort_key=Concat(Value(objective.sort_key), Substr("sort_key", len(old_key) + 1), output_field=CharField())
    )


# --- Positions --------------------------------------------------------------------------------------------------


def review_gate(version: VisionVersion | None, now=None, *, kind: str = DocumentKind.VISION) -> tuple[bool, str]:
    """Whether positions on ``version`` (of ``kind`` when None) may be given or changed now, and if not why (in
    Italian)."""
    now = now or timezone.now()
    review = review_kind(version.kind if version is not None else kind)
    phase_gate = gate(review.feature, now)
    if not phase_gate.open:
        return False, phase_gate.message
    if version is None or not version.is_open:
        return False, review.none_open
    if not version.accepts_positions(now):
        return False, _("Il termine per le posizioni su questa versione è scaduto il %(deadline)s.") % {
            "deadline": _short(version.deadline)
        }
    return True, ""


def position_submit(
    *,
    version: VisionVersion,
    user: User,
    objective: Objective | None,
    stance: str,
    comment: str = "",
    attachment=None,
    remove_attachment: bool = False,
) -> Position:
    """Give or change the position of the user's own municipality or office; never anybody else's."""
    speaker = speaker_for(user)
    if speaker is None:
        raise ValidationError(_("Solo i sindaci e il personale degli uffici possono prendere posizione."))
    allowed, message = review_gate(version)
    if not allowed:
        raise ValidationError(message)
    if objective is not None and not review_kind(version.kind).objectives:
        raise ValidationError(_("Su questo documento si prende posizione sul testo nel suo insieme."))
    if objective is not None and objective.level != ObjectiveLevel.GENERAL:
        raise ValidationError(_("Si prende posizione sulla Visione e sugli obiettivi generali."))
    if missing := position_comment_error(stance, comment):
        raise ValidationError(missing)
    subject = {"municipality": speaker.subject} if speaker.kind == "comune" else {"office": speaker.subject}
    try:
        position, old_file = _position_write(
            version=version,
            user=user,
            objective=objective,
            subject=subject,
            stance=stance,
            comment=comment,
            attachment=attachment,
            remove_attachment=remove_attachment,
        )
    except IntegrityError:
        # Two first answers on the same target at the same moment: the database kept one of them.
        raise ValidationError(
            _("Un'altra posizione è stata salvata nello stesso momento: ricarica la pagina e riprova.")
        )
    if old_file and old_file != position.attachment.name:
        storage = position.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return position


def _position_write(
    *, version, user, objective, subject: dict, stance: str, comment: str, attachment, remove_attachment: bool
) -> tuple[Position, str]:
    with transaction.atomic():
        position = (
            Position.objects.select_for_update()
            .filter(version=version, objective=objective, **subject)
            .order_by("pk")  # the default ordering joins objectives, which FOR UPDATE refuses on PostgreSQL
            .first()
        )
        before = {"stance": position.stance} if position else None
        if position is None:
            position = Position(version=version, objective=objective, **subject)
        old_file = position.attachment.name if position.attachment else ""
        position.stance = stance
        position.comment = comment.strip()
        position.author = user
        if attachment is not None:
            position.attachment.save(stored_name(attachment), attachment, save=False)
            position.attachment_name = (attachment.name or "")[:200]
        elif remove_attachment:
            position.attachment = ""
            position.attachment_name = ""
        position.save()
        audit_record(actor=user, action="position.submit", obj=position, before=before, after={"stance": stance})
    return position, old_file


# --- Reminders --------------------------------------------------------------------------------------------------


def reminders_enqueue(*, version: VisionVersion, actor: User) -> None:
    from phases.tasks import send_reminders  # phases.tasks imports this module

    audit_record(
        actor=actor,
        action=f"{review_kind(version.kind).audit_prefix}.remind",
        obj=version,
        after={"day": timezone.localdate().isoformat()},
    )
    transaction.on_commit(lambda: send_reminders.delay(version.pk))


def reminders_send(*, version: VisionVersion) -> int:
    """E-mail the mayors whose municipality has not fully answered; at most one reminder per mayor per day.

    The unique (user, day) row is claimed before the e-mail goes: two clicks, two workers or a retried task
    cannot send twice.
    """
    allowed, _message = review_gate(version)
    if not allowed:
        return 0
    kind = review_kind(version.kind)
    states = coverage.municipality_states(version)
    pending = [code for code, state in states.items() if state != coverage.ANSWERED]
    mayors = User.objects.active().filter(role=Role.MAYOR, municipality_id__in=pending).select_related("municipality")
    today = timezone.localdate()
    context = {
        "version": version,
        "deadline": _short(version.deadline),
        "link": settings.SITE_URL + reverse(kind.positions_url),
    }
    subject = str(kind.reminder_subject)
    return send_daily(
        mayors,
        claim=lambda mayor: Reminder.objects.create(user=mayor, version=version, day=today),
        release=lambda mayor: Reminder.objects.filter(user=mayor, day=today).delete(),
        subject=subject,
        body=lambda mayor: render_to_string(kind.reminder_template, {**context, "mayor": mayor}),
    )


# --- Istanze ------------------------------------------------------------------------------------------------------


def need_submit(*, user, title: str, description: str, theme: str, objectives=(), attachments=()):
    """A mayor sends an istanza for their own municipality during listening, with checked attachments."""
    if user.role != Role.MAYOR or not user.municipality_id or not user.is_active:
        raise ValidationError(_("Solo un sindaco o un delegato comunale può inviare le istanze del suo comune."))
    status = gate(Feature.SEND_NEEDS)
    if not status.open:
        raise ValidationError(status.message)
    with transaction.atomic():
        need = Need.objects.create(
            municipality_id=user.municipality_id,
            author=user,
            title=title.strip(),
            description=description.strip(),
            theme=theme,
        )
        need.objectives.set(objectives)
        for upload in attachments:
            attachment = NeedAttachment(need=need, name=(upload.name or "")[:200], size=upload.size)
            attachment.file.save(stored_name(upload), upload, save=False)
            attachment.save()
        audit_record(actor=user, action="need.submit", obj=need, after={"municipality": user.municipality_id})
    return need


def need_review(*, need, actor, status: str, tags: str, reply: str, led_to=None):
    """The PSM team tags an istanza, says whether it is taken into account (and, in ``led_to``, in which
    objectives, projects or actions) and replies to the municipality, who is told by e-mail of a new reply."""
    before = {"status": need.status, "tags": need.tags, "reply": need.reply}
    need.status = status
    need.tags = ", ".join(tag.strip() for tag in tags.split(",") if tag.strip())[:300]
    answered = reply.strip() != before["reply"] and bool(reply.strip())
    if reply.strip() != before["reply"]:
        need.reply = reply.strip()
        need.replied_at = timezone.now()
        need.replied_by = actor
    with transaction.atomic():
        _need_outcome(need, actor=actor, status=status, led_to=led_to)
        need.save(update_fields=["status", "tags", "reply", "replied_at", "replied_by"])
        audit_record(
            actor=actor,
            action="need.review",
            obj=need,
            before=before,
            after={"status": need.status, "tags": need.tags, "reply": need.reply},
        )
        if answered:
            _need_answered_enqueue(need)
    return need


def _need_outcome(need, *, actor, status: str, led_to) -> None:
    """What the istanza led to, recorded where the team decides: ``led_to`` None leaves the links as they are
    while the istanza stays taken into account."""
    if status == NeedStatus.TAKEN:
        if led_to:
            outcome_record(actor=actor, input=need, outcome=Outcome.TAKEN, targets=led_to, reason=need.reply)
        elif led_to is not None:
            outcome_clear(actor=actor, input=need)
    elif status == NeedStatus.NOT_TAKEN:
        outcome_record(actor=actor, input=need, outcome=Outcome.NOT_TAKEN, reason=need.reply)
    else:
        outcome_clear(actor=actor, input=need)


def _need_answered_enqueue(need) -> None:
    from phases.tasks import notify_need_answered  # phases.tasks imports this module

    def send() -> None:
        try:
            notify_need_answered.delay(need.pk)
        except Exception:
            # The broker is down: the reply stands and the mayor reads it on the istanza's page.
            logger.exception("The notice of istanza %s could not be enqueued", need.pk)

    transaction.on_commit(send, robust=True)


def need_answered_notify(*, need_id: int) -> int:
    """E-mail the comune's mayors the team's reply to an istanza, once per reply."""
    need = Need.objects.select_related("municipality").filter(pk=need_id).first()
    if need is None or not need.reply or need.replied_at is None:
        return 0
    mayors = User.objects.mayors_of(need.municipality).values_list("email", flat=True)
    with translation.override("it"):
        context = {
            "need": need,
            "status": need.get_status_display(),
            "link": settings.SITE_URL + reverse("phases:need_detail", args=[need.pk]),
        }
        subject = _("Il team PSM ha risposto alla vostra istanza «%(title)s»") % {"title": need.title[:120]}
        body = render_to_string("phases/email/need_answered.txt", context)
    return notice_send(
        key=f"need.answered:{need.pk}:{need.replied_at.isoformat()}", recipients=mayors, subject=subject, body=body
    )
