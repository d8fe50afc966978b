"""The .ics of invitations, updates and cancellations and the feeds, parsed back with icalendar."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_string

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from tables.models import CalendarFeed
from tables.services import feed_for, feed_revoke, session_cancel
from tests.tables.conftest import schedule


def _events(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


def _attachment(message) -> bytes:
    (name, content, mimetype) = message.attachments[0]
    assert name == "seduta.ics" and mimetype.startswith("text/calendar")
    return content if isinstance(content, bytes) else content.encode()


@pytest.mark.django_db
def test_invitation_carries_an_event_in_rome_time_with_the_link_back(session, settings, mayor_a):
    message = next(m for m in mail.outbox if m.to == [mayor_a.email])
    calendar, (event,) = _events(_attachment(message))
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]).startswith(str(session.uid))
    assert int(event["sequence"]) == 0
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Rome"
    assert event["dtstart"].params["TZID"] == "Europe/Rome"
    assert start == session.starts_at
    assert str(event["url"]) == settings.SITE_URL + reverse("tables:session", args=[session.pk])
    assert "Proposte dei comuni" in str(event["description"])
    assert calendar.walk("VTIMEZONE"), "the time zone's definition travels with the event"


@pytest.mark.django_db
def test_update_and_cancellation_keep_the_uid_and_raise_the_sequence(session, team_user, table, mayor_a, commits):
    first = _events(_attachment(next(m for m in mail.outbox if m.to == [mayor_a.email])))[1][0]
    mail.outbox.clear()
    with commits():
        schedule(team_user, table, session=session, days=4, title="Prima seduta (spostata)")
    updated = _events(_attachment(next(m for m in mail.outbox if m.to == [mayor_a.email])))[1][0]
    mail.outbox.clear()
    session.refresh_from_db()
    with commits():
        session_cancel(user=team_user, session=session)
    calendar, (cancelled,) = _events(_attachment(next(m for m in mail.outbox if m.to == [mayor_a.email])))
    assert str(first["uid"]) == str(updated["uid"]) == str(cancelled["uid"])
    assert (int(first["sequence"]), int(updated["sequence"]), int(cancelled["sequence"])) == (0, 1, 2)
    assert updated.decoded("dtstart") - first.decoded("dtstart") == timedelta(days=1)
    assert str(calendar["method"]) == "CANCEL" and str(cancelled["status"]) == "CANCELLED"


@pytest.mark.django_db
def test_table_feed_is_public_and_parses(client, session, table, settings):
    response = client.get(reverse("tables:table_calendar", args=[table.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    _calendar, (event,) = _events(response.content)
    assert str(event["uid"]).startswith(str(session.uid))
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Rome"
    assert str(event["url"]).endswith(reverse("tables:session", args=[session.pk]))


@pytest.mark.django_db
def test_personal_feed_lists_the_members_sessions_and_is_revocable(client, session, mayor_a, mayor_b):
    feed = feed_for(user=mayor_a)
    url = reverse("tables:personal_calendar", args=[feed.token])
    _calendar, events = _events(client.get(url).content)
    assert [str(e["uid"]) for e in events] == [f"{session.uid}@{str(e['uid']).split('@')[1]}" for e in events]
    assert len(events) == 1
    # Mayor B belongs to no table: an empty calendar, never another member's sessions.
    other = feed_for(user=mayor_b)
    assert _events(client.get(reverse("tables:personal_calendar", args=[other.token])).content)[1] == []
    feed_revoke(user=mayor_a)
    assert client.get(url).status_code == 404
    assert CalendarFeed.objects.get(user=mayor_a).token != feed.token


@pytest.mark.django_db
def test_invitation_email_is_a_multipart_with_the_calendar(session, mayor_a):
    message = next(m for m in mail.outbox if m.to == [mayor_a.email])
    parsed = message_from_string(message.message().as_string())
    types = [part.get_content_type() for part in parsed.walk()]
    assert "text/calendar" in types


@pytest.mark.django_db
def test_the_coordinators_feed_holds_the_tables_they_coordinate(client, session, office_b_user, table, team_user):
    from tables.services import table_save

    table_save(
        user=team_user,
        table=table,
        title=table.title,
        theme=table.theme,
        phase=table.phase,
        coordinator_office=office_b_user.office,
        organisations=["ANCE"],
    )
    feed = feed_for(user=office_b_user)
    _calendar, events = _events(client.get(reverse("tables:personal_calendar", args=[feed.token])).content)
    assert [str(e["uid"]).split("@")[0] for e in events] == [str(session.uid)]
