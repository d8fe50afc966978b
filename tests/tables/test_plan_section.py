"""The working tables' section of the plan documents: tables, sessions with attendance by organisation, outcomes and
what they became, the comuni's participation; its fingerprint moves with the data."""

from __future__ import annotations

import pytest

from tables.plan_section import tables_fingerprint, tables_provider
from tables.services import attendance_record, outcome_create

pytestmark = pytest.mark.django_db


def test_no_tables_yet_is_said_not_left_missing():
    assert tables_provider("draft") == {"items": [], "participation": []}


def test_tables_sessions_participation_and_outcomes(table, past_session, office_a_user, messina, mayor_a):
    before = tables_fingerprint("draft")
    member = table.members.get(municipality=messina)
    attendance_record(user=office_a_user, session=past_session, people={member.pk: 4})
    outcome_create(user=office_a_user, table=table, title="Un approdo per le Eolie", session=past_session)
    assert tables_fingerprint("draft") != before
    data = tables_provider("final")
    (item,) = data["items"]
    assert item["title"] == table.title and item["coordinator"] == office_a_user.office.name
    assert "Comune di Messina" in item["members"] and "ANCE" in item["members"]
    past = next(s for s in item["sessions"] if s["title"] == "Seduta passata")
    assert past["people"] == 4 and past["organisations"] == ["Comune di Messina"] and past["minutes"] is False
    assert item["outcomes"] == [
        {
            "title": "Un approdo per le Eolie",
            "objective": "",
            "proposal": "",
            "project": "",
            "vocation": "",
            "scenario": "",
        }
    ]
    assert data["participation"] == [{"istat_code": messina.istat_code, "name": "Messina", "sessions": 1}]
    assert mayor_a.full_name not in repr(data)


def test_the_plan_prints_the_tables_chapter(table, past_session, office_a_user, messina):
    from django.utils import timezone, translation

    from plan.document import build_context, render_html
    from plan.services import plan_snapshot

    member = table.members.get(municipality=messina)
    attendance_record(user=office_a_user, session=past_session, people={member.pk: 4})
    outcome_create(user=office_a_user, table=table, title="Un approdo per le Eolie", session=past_session)
    snapshot = plan_snapshot(kind="draft")
    with translation.override("it"):
        html = render_html(build_context(snapshot, kind="draft", version=1, created=timezone.now()))
    chapter = html.split('id="tavoli"')[1].split("</section>")[0]
    assert table.title in chapter and "Seduta passata" in chapter and "Un approdo per le Eolie" in chapter
    assert "Comune di Messina" in chapter and '<td class="num">4</td>' in chapter
