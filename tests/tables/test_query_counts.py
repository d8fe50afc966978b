"""Query counts of /tavoli/, a table's page, a session's page, a comune's and a project's page: the same with 2 tables
and with 40 tables holding 400 sessions (with agenda, attendance, outcomes and contributions)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.factories import ProjectFactory
from tables.models import (
    AgendaItem,
    Attendance,
    Contribution,
    Member,
    MemberKind,
    MinutesState,
    Outcome,
    Session,
    WorkingTable,
)

pytestmark = pytest.mark.django_db


def grow(tables: int, sessions_per_table: int, *, office, municipalities, author, project):
    now = timezone.now()
    created = WorkingTable.objects.bulk_create(
        WorkingTable(title=f"Tavolo {n}", theme="Tema", coordinator_office=office) for n in range(tables)
    )
    members = Member.objects.bulk_create(
        Member(table=t, kind=MemberKind.MUNICIPALITY, municipality=m) for t in created for m in municipalities
    )
    Member.objects.bulk_create(Member(table=t, kind=MemberKind.ORGANISATION, organisation="ANCE") for t in created)
    sessions = Session.objects.bulk_create(
        Session(
            table=t,
            title=f"Seduta {i}",
            starts_at=now + timedelta(days=i - sessions_per_table // 2),
            place="Messina",
            minutes_html="<p>Verbale</p>",
            minutes_state=MinutesState.PUBLISHED if i % 2 else MinutesState.NONE,
        )
        for t in created
        for i in range(sessions_per_table)
    )
    AgendaItem.objects.bulk_create(AgendaItem(session=s, position=p, title="Punto") for s in sessions for p in (1, 2))
    by_table = {}
    for member in members:
        by_table.setdefault(member.table_id, []).append(member)
    Attendance.objects.bulk_create(
        Attendance(session=s, member=m, people=2) for s in sessions if s.starts_at < now for m in by_table[s.table_id]
    )
    Outcome.objects.bulk_create(
        Outcome(table=s.table, session=s, title="Esito", project=project) for s in sessions if s.starts_at < now
    )
    Contribution.objects.bulk_create(
        Contribution(table=t, member=by_table[t.pk][0], author=author, text="Contributo") for t in created
    )
    return created[0], sessions[0]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "team_user", "mayor_a"])
def test_pages_queries_do_not_grow_with_the_data(viewer, cast, login, office_a, messina, lipari, mayor_a):
    client = login(cast(viewer))
    project = ProjectFactory(office=office_a)
    counts = []
    for tables, per_table in ((2, 10), (38, 10)):
        table, session = grow(
            tables, per_table, office=office_a, municipalities=[messina, lipari], author=mayor_a, project=project
        )
        urls = [
            reverse("tables:index"),
            table.get_absolute_url(),
            session.get_absolute_url(),
            reverse("municipalities:detail", args=[messina.istat_code]),
            project.get_absolute_url(),
        ]
        counts.append([_count(client, url) for url in urls])
    assert WorkingTable.objects.count() == 40 and Session.objects.count() == 400
    assert counts[0] == counts[1]
