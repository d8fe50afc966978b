"""Writes of the working tables: tables and members, sessions and their invitations (e-mail with an .ics, through
Celery), answers, attendance, minutes, written contributions and outcomes. Keyword-only, one transaction, audited,
Italian ValidationErrors.

The phase gates (``Feature.MANAGE_TABLES``, ``Feature.JOIN_TABLES``) are asked by the views, so that the demo data
can be written through these same services whatever the phase; who may act on a given table is checked here."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from psm_portal.accounts.models import Role, User
from psm_portal.audit.services import audit_record
from psm_portal.lib.html import sanitize_html
from psm_portal.lib.uploads import stored_name
from subscriptions.models import UpdateKind
from subscriptions.services import record_update
from tables.calendar import invitation_ics, session_url
from tables.models import (
    AgendaItem,
    Answer,
    Attendance,
    CalendarFeed,
    Contribution,
    DocumentRole,
    Invitation,
    Member,
    MemberKind,
    MinutesState,
    Outcome,
    Session,
    SessionDocument,
    WorkingTable,
)

logger = logging.getLogger(__name__)

MAX_AGENDA_ITEMS = 20
MAX_DOCUMENTS = 10


def _team_only(user) -> None:
    if not (user.is_authenticated and user.is_team):
        raise ValidationError(_("Solo il team PSM crea e gestisce i tavoli di lavoro e le loro sedute."))


def _managers_only(user, table: WorkingTable) -> None:
    if not table.can_manage(user):
        raise ValidationError(_("Solo il coordinatore del tavolo e il team PSM possono farlo."))


def _member_of(user, table: WorkingTable) -> Member:
    member = Member.objects.of_user(user).filter(table=table).first()
    if member is None:
        raise ValidationError(_("Solo i membri del tavolo possono farlo."))
    return member


def _enqueue(task, *args) -> None:
    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            # The broker is down: the hourly sweep (send_session_reminders) sends what is still unsent.
            logger.exception("Tables task %s could not be enqueued", task.name)

    transaction.on_commit(send, robust=True)


# --- Tables -------------------------------------------------------------------------------------------------------


def table_save(
    *,
    user,
    table: WorkingTable | None = None,
    title: str,
    theme: str,
    description: str = "",
    phase: str,
    objectives=(),
    coordinator_user=None,
    coordinator_office=None,
    municipalities=(),
    offices=(),
    organisations=(),
) -> WorkingTable:
    """The team creates or changes a table with its coordinator and members (comuni, offices, organisations)."""
    _team_only(user)
    if not (title or "").strip():
        raise ValidationError({"title": _("Indicate il titolo del tavolo.")})
    if bool(coordinator_user) == bool(coordinator_office):
        raise ValidationError(_("Indicate un coordinatore: un componente del team PSM oppure un ufficio."))
    if coordinator_user is not None and coordinator_user.role != Role.TEAM:
        raise ValidationError({"coordinator_user": _("Il coordinatore deve far parte del team PSM.")})
    organisations = sorted({o.strip() for o in organisations if o and o.strip()}, key=str.lower)
    if not (municipalities or offices or organisations):
        raise ValidationError(_("Indicate almeno un membro del tavolo: un comune, un ufficio o un'organizzazione."))
    with transaction.atomic():
        created = table is None
        table = table or WorkingTable()
        table.title, table.theme, table.description, table.phase = title.strip(), theme.strip(), description, phase
        table.coordinator_user, table.coordinator_office = coordinator_user, coordinator_office
        table.save()
        table.objectives.set(objectives)
        wanted = {("municipality", m.pk) for m in municipalities} | {("office", o.pk) for o in offices}
        wanted |= {("organisation", name.lower()) for name in organisations}
        for member in list(table.members.all()):
            key = {
                MemberKind.MUNICIPALITY: ("municipality", member.municipality_id),
                MemberKind.OFFICE: ("office", member.office_id),
            }.get(member.kind, ("organisation", member.organisation.lower()))
            if key in wanted:
                wanted.discard(key)
            elif not (member.attendance.exists() or member.contributions.exists()):
                member.delete()
        names = {name.lower(): name for name in organisations}
        for kind, value in sorted(wanted, key=str):
            if kind == "municipality":
                Member.objects.create(table=table, kind=MemberKind.MUNICIPALITY, municipality_id=value)
            elif kind == "office":
                Member.objects.create(table=table, kind=MemberKind.OFFICE, office_id=value)
            else:
                Member.objects.create(table=table, kind=MemberKind.ORGANISATION, organisation=names[value])
        audit_record(
            actor=user,
            action="table.create" if created else "table.update",
            obj=table,
            after={"title": table.title, "phase": phase, "members": table.members.count()},
        )
    return table


def member_users(table: WorkingTable):
    """The active people who speak for the table's members: mayors, office staff, stakeholders."""
    members = list(table.members.all())
    query = Q(role=Role.MAYOR, municipality_id__in=[m.municipality_id for m in members if m.municipality_id])
    query |= Q(role=Role.OFFICE, office_id__in=[m.office_id for m in members if m.office_id])
    for m in members:
        if m.kind == MemberKind.ORGANISATION:
            query |= Q(role=Role.STAKEHOLDER, organisation__iexact=m.organisation)
    return User.objects.active().filter(query).order_by("pk")


# --- Sessions -----------------------------------------------------------------------------------------------------


def _check_session(starts_at: datetime, duration_minutes: int, place: str, online_url: str) -> None:
    if not (place or "").strip() and not (online_url or "").strip():
        raise ValidationError(_("Indicate il luogo della seduta, il collegamento online o entrambi."))
    if not duration_minutes or duration_minutes <= 0 or duration_minutes > 12 * 60:
        raise ValidationError({"duration_minutes": _("La durata deve essere tra 1 minuto e 12 ore.")})


def _save_documents(session: Session, documents, role: str) -> None:
    documents = [d for d in documents or () if d]
    if session.documents.filter(role=role).count() + len(documents) > MAX_DOCUMENTS:
        raise ValidationError(_("Al massimo %(n)s documenti.") % {"n": MAX_DOCUMENTS})
    for upload in documents:
        document = SessionDocument(session=session, role=role, name=(upload.name or "documento")[:200])
        document.file.save(stored_name(upload), upload, save=False)
        document.save()


def session_save(
    *,
    user,
    table: WorkingTable,
    session: Session | None = None,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str = "",
    online_url: str = "",
    capacity: int | None = None,
    agenda: list[str] = (),
    documents=(),
) -> Session:
    """The team schedules a session (or changes one): the members are invited by e-mail with the calendar entry;
    a change raises the entry's SEQUENCE and sends it again."""
    from tables.tasks import send_invitations  # tables.tasks imports this module

    _team_only(user)
    if session is not None and session.table_id != table.pk:
        raise ValidationError(_("La seduta non appartiene a questo tavolo."))
    if session is not None and session.cancelled:
        raise ValidationError(_("La seduta è stata annullata: non si può modificare."))
    _check_session(starts_at, duration_minutes, place, online_url)
    agenda = [item.strip() for item in agenda if item and item.strip()]
    if len(agenda) > MAX_AGENDA_ITEMS:
        raise ValidationError(_("Al massimo %(n)s punti all'ordine del giorno.") % {"n": MAX_AGENDA_ITEMS})
    with transaction.atomic():
        created = session is None
        if created:
            session = Session(table=table)
        else:
            session = Session.objects.select_for_update().get(pk=session.pk)
            session.sequence += 1
        session.title, session.starts_at, session.duration_minutes = title.strip(), starts_at, duration_minutes
        session.place, session.online_url, session.capacity = place.strip(), online_url.strip(), capacity
        if not created and starts_at > timezone.now():
            session.reminder_sent_at = None  # moved: the day-before reminder goes out for the new date
        session.save()
        session.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, position=i, title=item[:300]) for i, item in enumerate(agenda, start=1)
        )
        _save_documents(session, documents, DocumentRole.SESSION)
        audit_record(
            actor=user,
            action="session.create" if created else "session.update",
            obj=session,
            after={"starts_at": starts_at.isoformat(), "sequence": session.sequence},
        )
        _enqueue(send_invitations, session.pk)
    return session


def session_cancel(*, user, session: Session) -> Session:
    """The team cancels a session: the members receive a cancelling calendar entry with the same UID."""
    from tables.tasks import send_invitations  # tables.tasks imports this module

    _team_only(user)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.cancelled:
            raise ValidationError(_("La seduta è già annullata."))
        session.cancelled = True
        session.sequence += 1
        session.save(update_fields=["cancelled", "sequence"])
        audit_record(actor=user, action="session.cancel", obj=session, after={"sequence": session.sequence})
        _enqueue(send_invitations, session.pk)
    return session


def _when(session: Session) -> str:
    local = timezone.localtime(session.starts_at)
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M}"


def _message(session: Session, email: str, template: str, subject: str, *, ics: bool) -> EmailMessage:
    context = {"session": session, "table": session.table, "when": _when(session), "link": session_url(session)}
    message = EmailMessage(subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, [email])
    if ics:
        method = "CANCEL" if session.cancelled else "REQUEST"
        message.attach("seduta.ics", invitation_ics(session), f"text/calendar; charset=utf-8; method={method}")
    return message


def _membership(memberships: list[Member], user) -> Member:
    """Which of the table's members ``user`` speaks for (in Python: the memberships are already read)."""
    for member in memberships:
        if user.role == Role.MAYOR and member.municipality_id == user.municipality_id:
            return member
        if user.role == Role.OFFICE and member.office_id == user.office_id:
            return member
        if user.role == Role.STAKEHOLDER and member.organisation.lower() == user.organisation.strip().lower():
            return member
    raise LookupError(user.pk)


def invitations_send(*, session: Session) -> int:
    """E-mail each member's people the session's current calendar entry, once per version (claimed per person
    by a conditional UPDATE of the sequence sent), and record their invitations."""
    session = Session.objects.select_related("table").prefetch_related("agenda_items").get(pk=session.pk)
    users = list(member_users(session.table))
    memberships = list(session.table.members.all())
    sent = 0
    messages = []
    for user in users:
        member = _membership(memberships, user)
        invitation, _created = Invitation.objects.get_or_create(session=session, user=user, defaults={"member": member})
        if not Invitation.objects.filter(pk=invitation.pk, sent_sequence__lt=session.sequence).update(
            sent_sequence=session.sequence
        ):
            continue
        if session.cancelled:
            subject = _("Seduta annullata: %(table)s, %(when)s")
            template = "tables/email/cancelled.txt"
        elif session.sequence:
            subject = _("Seduta modificata: %(table)s, %(when)s")
            template = "tables/email/updated.txt"
        else:
            subject = _("Invito: %(table)s, %(when)s")
            template = "tables/email/invitation.txt"
        subject = subject % {"table": session.table.title, "when": _when(session)}
        messages.append(_message(session, user.email, template, subject, ics=True))
    if messages:
        sent = get_connection().send_messages(messages) or 0
    Session.objects.filter(pk=session.pk, invited_sequence__lt=session.sequence).update(
        invited_sequence=session.sequence
    )
    return sent


def invitations_sweep(now=None) -> int:
    """Send the invitations (or updates, cancellations) of coming sessions that were never sent: the task was lost
    while the broker was down. Each person still gets each version once (``invitations_send`` claims per person)."""
    now = now or timezone.now()
    sent = 0
    for session in Session.objects.filter(starts_at__gt=now, invited_sequence__lt=F("sequence")):
        sent += invitations_send(session=session)
    return sent


def reminders_send(now=None) -> int:
    """The day before each session, remind the invited who did not decline; once per session however many times
    this runs (claimed by a conditional UPDATE)."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    sent = 0
    due = Session.objects.filter(cancelled=False, reminder_sent_at__isnull=True, starts_at__gt=now).filter(
        starts_at__date=tomorrow
    )
    for session in due.select_related("table"):
        if not Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
            continue
        emails = session.invitations.exclude(answer=Answer.DECLINE).values_list("user__email", flat=True)
        subject = _("Promemoria: domani %(table)s, %(when)s") % {"table": session.table.title, "when": _when(session)}
        messages = [_message(session, email, "tables/email/reminder.txt", subject, ics=False) for email in emails]
        if messages:
            sent += get_connection().send_messages(messages) or 0
    return sent


def invitation_answer(*, user, session: Session, answer: str, delegate_name: str = "") -> Invitation:
    """A member's person answers: will attend, will not, or sends a delegate (named); within the capacity."""
    member = _member_of(user, session.table)
    if session.cancelled or session.is_past:
        raise ValidationError(_("La seduta è annullata o già svolta: non si può più rispondere."))
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Scegliete una risposta.")})
    delegate_name = (delegate_name or "").strip()
    if answer == Answer.DELEGATE and not delegate_name:
        raise ValidationError({"delegate_name": _("Indicate il nome del delegato.")})
    if answer != Answer.DELEGATE:
        delegate_name = ""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        invitation, _created = Invitation.objects.get_or_create(session=locked, user=user, defaults={"member": member})
        coming = answer in (Answer.ATTEND, Answer.DELEGATE)
        if coming and locked.capacity and invitation.answer not in (Answer.ATTEND, Answer.DELEGATE):
            taken = locked.invitations.filter(answer__in=[Answer.ATTEND, Answer.DELEGATE]).count()
            if taken >= locked.capacity:
                raise ValidationError(_("I posti della seduta sono esauriti."))
        invitation.answer, invitation.delegate_name, invitation.answered_at = answer, delegate_name, timezone.now()
        invitation.save(update_fields=["answer", "delegate_name", "answered_at"])
    return invitation


# --- After the session ---------------------------------------------------------------------------------------------


def attendance_record(*, user, session: Session, people: dict[int, int], total: int | None = None) -> None:
    """The coordinator (or the team) records which members attended and with how many people."""
    _managers_only(user, session.table)
    if session.cancelled:
        raise ValidationError(_("La seduta è stata annullata."))
    if not session.is_past:
        raise ValidationError(_("Le presenze si registrano dopo l'inizio della seduta."))
    members = {m.pk for m in session.table.members.all()}
    if set(people) - members:
        raise ValidationError(_("Uno dei membri indicati non fa parte del tavolo."))
    if any(n < 0 or n > 999 for n in people.values()):
        raise ValidationError(_("Il numero di persone deve essere tra 0 e 999."))
    with transaction.atomic():
        session.attendance.all().delete()
        Attendance.objects.bulk_create(
            Attendance(session=session, member_id=pk, people=n) for pk, n in sorted(people.items()) if n
        )
        session.attendees_total = total if total is not None else sum(people.values())
        session.save(update_fields=["attendees_total"])
        audit_record(actor=user, action="session.attendance", obj=session, after={"people": session.attendees_total})


def minutes_save(*, user, session: Session, html: str, attachments=()) -> Session:
    """The coordinator (or the team) writes the minutes: sanitised rich text and attachments, kept as a draft."""
    _managers_only(user, session.table)
    if session.minutes_state == MinutesState.PUBLISHED:
        raise ValidationError(_("Il verbale è già pubblicato: non si può più modificare."))
    clean = sanitize_html(html)
    if not clean:
        raise ValidationError({"html": _("Scrivete il testo del verbale.")})
    with transaction.atomic():
        session.minutes_html = clean
        session.minutes_state = MinutesState.DRAFT
        session.save(update_fields=["minutes_html", "minutes_state"])
        _save_documents(session, attachments, DocumentRole.MINUTES)
        audit_record(actor=user, action="minutes.save", obj=session)
    return session


def minutes_publish(*, user, session: Session) -> Session:
    """Publish the minutes: from now on public, and frozen."""
    _managers_only(user, session.table)
    with transaction.atomic():
        updated = Session.objects.filter(pk=session.pk, minutes_state=MinutesState.DRAFT).update(
            minutes_state=MinutesState.PUBLISHED, minutes_published_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("Non c'è una bozza di verbale da pubblicare."))
        session.refresh_from_db()
        audit_record(actor=user, action="minutes.publish", obj=session)
        _record_minutes_update(session)
    return session


def _record_minutes_update(session: Session) -> None:
    """Published minutes go into the next digest of whoever follows the table's comuni or objectives."""
    table = session.table
    record_update(
        kind=UpdateKind.MINUTES,
        title=_("Verbale del tavolo «%(table)s»: %(session)s") % {"table": table.title, "session": session.title},
        url=session.get_absolute_url(),
        comuni=table.members.filter(municipality__isnull=False).values_list("municipality__istat_code", flat=True),
        objectives=table.objectives.values_list("code", flat=True),
    )


def contribution_submit(*, user, table: WorkingTable, text: str, document=None) -> Contribution:
    """A member sends a written contribution to its table."""
    member = _member_of(user, table)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Scrivete il contributo.")})
    with transaction.atomic():
        contribution = Contribution(table=table, member=member, author=user, text=text)
        if document:
            contribution.document.save(stored_name(document), document, save=False)
            contribution.document_name = (document.name or "documento")[:200]
        contribution.save()
        audit_record(actor=user, action="contribution.submit", obj=contribution)
    return contribution


def contribution_reply(*, user, contribution: Contribution, reply: str) -> Contribution:
    """The coordinator (or the team) answers a contribution, once."""
    _managers_only(user, contribution.table)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Scrivete la risposta.")})
    with transaction.atomic():
        updated = Contribution.objects.filter(pk=contribution.pk, replied_at__isnull=True).update(
            reply=reply, replied_by=user, replied_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("Il contributo ha già una risposta."))
        contribution.refresh_from_db()
        audit_record(actor=user, action="contribution.reply", obj=contribution)
    return contribution


def outcome_create(
    *,
    user,
    table: WorkingTable,
    title: str,
    description: str = "",
    session: Session | None = None,
    objective=None,
    proposal=None,
    project=None,
    vocation=None,
    scenario=None,
) -> Outcome:
    """The coordinator (or the team) records an outcome and what it produced in the plan."""
    _managers_only(user, table)
    if not (title or "").strip():
        raise ValidationError({"title": _("Indicate l'esito.")})
    if session is not None and session.table_id != table.pk:
        raise ValidationError({"session": _("La seduta non appartiene a questo tavolo.")})
    if objective is not None and objective.level != 3:
        raise ValidationError({"objective": _("Scegliete un obiettivo specifico.")})
    if project is not None and project.publication != "published":
        raise ValidationError({"project": _("Il progetto non è pubblicato.")})
    with transaction.atomic():
        outcome = Outcome.objects.create(
            table=table,
            session=session,
            title=title.strip(),
            description=(description or "").strip(),
            objective=objective,
            proposal=proposal,
            project=project,
            vocation=vocation,
            scenario=scenario,
        )
        audit_record(actor=user, action="outcome.create", obj=outcome)
    return outcome


# --- Personal calendar -------------------------------------------------------------------------------------------


def feed_for(*, user) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or CalendarFeed.objects.create(user=user, token=CalendarFeed.new_token())


def feed_revoke(*, user) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": CalendarFeed.new_token()})
        feed.token = CalendarFeed.new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed
