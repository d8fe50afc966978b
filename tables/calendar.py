"""Calendar entries of the sessions, made with ``icalendar``: the .ics attached to each invitation (METHOD:REQUEST,
or CANCEL for a cancelled session) and the feeds (a table's public one, a member's personal one).

An event's UID is the session's own and never changes; its SEQUENCE is the session's, raised by every change that
is sent, so a calendar replaces the entry it already has. Times are written in Europe/Rome with the time zone's
definition, and every event carries the address of the session's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from tables.models import Session

ROME = ZoneInfo("Europe/Rome")
PRODID = "-//Città Metropolitana di Messina//Portale PSM//IT"


def session_uid(session: Session) -> str:
    return f"{session.uid}@{urlsplit(settings.SITE_URL).hostname or 'psm'}"


def session_url(session: Session) -> str:
    return settings.SITE_URL + session.get_absolute_url()


def _event(session: Session, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(ROME))
    event.add("dtend", session.ends_at.astimezone(ROME))
    event.add("summary", f"{session.table.title}: {session.title}")
    location = session.place or session.online_url
    if location:
        event.add("location", location)
    event.add("url", session_url(session))
    lines = [f"{item.position}. {item.title}" for item in session.agenda_items.all()]
    if session.online_url:
        lines.append(session.online_url)
    lines.append(session_url(session))
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = "Portale PSM Messina"
    event.add("organizer", organizer)
    return event


def _calendar(name: str | None = None, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    return calendar


def invitation_ics(session: Session) -> bytes:
    """The entry attached to an invitation or to its update (REQUEST), or to a cancellation (CANCEL)."""
    calendar = _calendar(method="CANCEL" if session.cancelled else "REQUEST")
    calendar.add_component(_event(session, stamp=timezone.now()))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(name: str, sessions: Iterable[Session]) -> bytes:
    """A subscribable feed; cancelled sessions stay in it as CANCELLED so that calendars drop them."""
    calendar = _calendar(name=name)
    stamp = timezone.now()
    for session in sessions:
        calendar.add_component(_event(session, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
