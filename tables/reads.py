"""Reads of the working tables for the public pages: the list with each table's next session and members, the
participation per comune (the map), a table's and a session's page. Each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Sum
from django.utils import timezone

from tables.models import (
    Attendance,
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

MEMBERS = Prefetch("members", queryset=Member.objects.select_related("municipality", "office").order_by("kind", "pk"))


def tables_listing(now=None):
    """Every table with its next session's date and id, its count of sessions with published minutes, members."""
    now = now or timezone.now()
    upcoming = Session.objects.filter(table=OuterRef("pk"), cancelled=False, starts_at__gte=now).order_by(
        "starts_at", "pk"
    )
    return (
        WorkingTable.objects.select_related("coordinator_office")
        .annotate(
            next_session_at=Subquery(upcoming.values("starts_at")[:1]),
            next_session_id=Subquery(upcoming.values("pk")[:1]),
            minutes_count=Count("sessions", filter=_published_filter(), distinct=True),
        )
        .prefetch_related(MEMBERS, "objectives")
        .order_by("phase", "title", "pk")
    )


def _published_filter():
    from django.db.models import Q

    return Q(sessions__minutes_state=MinutesState.PUBLISHED)


def participation_by_comune() -> dict[str, int]:
    """How many sessions each comune attended (its istat code → count), by the database."""
    rows = (
        Attendance.objects.filter(member__kind=MemberKind.MUNICIPALITY, session__cancelled=False, people__gt=0)
        .values("member__municipality__istat_code")
        .annotate(n=Count("session", distinct=True))
    )
    return {row["member__municipality__istat_code"]: row["n"] for row in rows}


def recent_outcomes(limit: int = 20) -> list[Outcome]:
    return list(Outcome.objects.for_listing().order_by("-created_at", "-pk")[:limit])


def table_page(table: WorkingTable, user, now=None) -> dict:
    """What a table's page shows; contributions only to the managers (all) and to members (their own)."""
    now = now or timezone.now()
    sessions = table.sessions.annotate(
        has_minutes=Exists(Session.objects.filter(pk=OuterRef("pk"), minutes_state=MinutesState.PUBLISHED))
    )
    upcoming = list(sessions.filter(cancelled=False, starts_at__gte=now).order_by("starts_at", "pk"))
    past = list(sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk"))
    outcomes = list(table.outcomes.for_listing().order_by("created_at", "pk"))
    contributions = Contribution.objects.none()
    if table.can_manage(user):
        contributions = table.contributions.all()
    else:
        mine = Member.objects.of_user(user).filter(table=table)
        contributions = table.contributions.filter(member__in=mine)
    return {
        "members": list(table.members.select_related("municipality", "office").order_by("kind", "pk")),
        "objectives": list(table.objectives.order_by("sort_key")),
        "upcoming": upcoming,
        "past": past,
        "outcomes": outcomes,
        "contributions": list(contributions.select_related("member__municipality", "member__office")),
    }


def session_page(session: Session, user) -> dict:
    table = session.table
    manager = table.can_manage(user)
    documents = SessionDocument.objects.filter(session=session)
    if not (manager or session.minutes_state == MinutesState.PUBLISHED):
        documents = documents.filter(role=DocumentRole.SESSION)
    attendance = list(
        session.attendance.select_related("member__municipality", "member__office").order_by("member__kind", "pk")
    )
    invitation = Invitation.objects.filter(session=session, user=user).first() if user.is_authenticated else None
    answers = None
    if manager:
        answers = list(session.invitations.select_related("user", "member__municipality", "member__office"))
    coming = session.invitations.filter(answer__in=["attend", "delegate"]).aggregate(n=Count("pk"))["n"]
    return {
        "agenda": list(session.agenda_items.all()),
        "documents": list(documents),
        "attendance": attendance,
        "attendance_people": sum(a.people for a in attendance),
        "invitation": invitation,
        "answers": answers,
        "coming": coming,
        "manager": manager,
        "outcomes": list(session.outcomes.for_listing()),
    }


def attended_tables(municipality):
    """The tables a comune belongs to, with how many sessions it attended (for the comune's page)."""
    attended = (
        Attendance.objects.filter(member=OuterRef("pk"), session__cancelled=False, people__gt=0)
        .values("member")
        .annotate(n=Count("session", distinct=True))
        .values("n")
    )
    return list(
        Member.objects.filter(municipality=municipality)
        .select_related("table")
        .annotate(attended=Subquery(attended))
        .order_by("table__title", "pk")
    )


def people_total(session: Session) -> int:
    return session.attendance.aggregate(n=Sum("people"))["n"] or 0


def managed_tables(user):
    """The tables whose attendance, minutes and answers ``user`` records: every table for the team, the ones they
    coordinate for others."""
    if user.is_authenticated and user.is_team:
        return WorkingTable.objects.all()
    return WorkingTable.objects.coordinated_by(user)


def work_to_do(user, limit: int = 20, now=None) -> dict:
    """For the coordinator (or the team): past sessions whose minutes are not published yet, and contributions
    awaiting an answer (two queries)."""
    now = now or timezone.now()
    tables = managed_tables(user)
    sessions = (
        Session.objects.filter(table__in=tables, cancelled=False, starts_at__lt=now)
        .exclude(minutes_state=MinutesState.PUBLISHED)
        .select_related("table")
        .order_by("-starts_at", "-pk")[:limit]
    )
    contributions = (
        Contribution.objects.filter(table__in=tables, replied_at__isnull=True)
        .select_related("table", "member__municipality", "member__office")
        .order_by("created_at", "pk")[:limit]
    )
    return {"sessions": list(sessions), "contributions": list(contributions)}
