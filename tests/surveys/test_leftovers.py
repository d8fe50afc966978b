"""What a questionnaire leaves behind in the session: the draft goes with the last section's POST, an
anonymous session is short-lived, and expired sessions are deleted by a periodic task."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from psm_portal import tasks as site_tasks
from psm_portal.celery import app as celery_app
from surveys.models import Response
from tests.surveys.conftest import answer_through_pages, section_posts

pytestmark = pytest.mark.django_db
CARRIED = re.compile(r'name="stato" value="([^"]+)"')


def url(name: str, *args) -> str:
    return reverse(f"surveys:{name}", args=args)


def draft_keys(session) -> list[str]:
    return [key for key in session.keys() if key.startswith("surveys:")]


def stored(session_key: str):
    """The session as the server keeps it (database or Redis, whichever the settings use)."""
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def test_the_last_post_forgets_the_answers_before_the_thank_you_page(client, survey, q):
    posts = section_posts(q)
    answer_through_pages(client, survey, posts[:2])
    key = client.cookies["sessionid"].value
    assert draft_keys(stored(key))  # the first two sections' answers are in it
    # As a browser does: the last section's page, then its form with the earlier answers carried.
    page = client.get(url("section", survey.slug, 3)).content.decode()
    reply = client.post(url("section", survey.slug, 3), {**posts[2], "stato": CARRIED.search(page).group(1)})
    assert reply["Location"] == url("thanks", survey.slug)
    assert Response.objects.count() == 1
    # The thank-you page is never loaded: nothing of the answers is left on the server.
    assert not stored(key).exists(key)
    assert reply.cookies["sessionid"].value == ""  # the browser is told to drop its session cookie


def test_a_signed_in_user_keeps_the_sign_in_but_not_the_answers(client, login, team_user, survey, q):
    login(team_user)
    answer_through_pages(client, survey, section_posts(q))
    assert Response.objects.count() == 1
    session = client.session
    assert draft_keys(session) == []
    assert session["_auth_user_id"] == str(team_user.pk)


def test_a_draft_from_a_newer_start_is_not_forgotten_by_an_older_carried_form(client, survey, q, settings):
    """Two tabs: the one sent carries the old draft; the draft begun since in the other tab stays."""
    settings.SURVEYS_ONE_PER_BROWSER = False
    posts = section_posts(q)
    answer_through_pages(client, survey, posts[:2])
    page = client.get(url("section", survey.slug, 3)).content.decode()
    carried = CARRIED.search(page).group(1)
    client.post(url("start", survey.slug), {"privacy": "on"})  # a new draft, in the other tab
    client.post(url("section", survey.slug, 1), posts[0])
    client.post(url("section", survey.slug, 3), {**posts[2], "stato": carried})
    assert Response.objects.count() == 1
    assert len(draft_keys(client.session)) == 1


def test_an_anonymous_draft_lives_hours_not_weeks(client, survey, q, settings):
    settings.SURVEYS_DRAFT_SECONDS = 7200  # the default, stated
    start = timezone.now()
    answer_through_pages(client, survey, section_posts(q)[:1])
    session = stored(client.cookies["sessionid"].value)
    assert session.get_expiry_age() == 7200
    assert start + timedelta(seconds=7200) <= session.get_expiry_date() <= timezone.now() + timedelta(seconds=7200)
    assert client.cookies["sessionid"]["max-age"] == 7200
    if settings.SESSION_ENGINE.endswith(".db"):
        expires = Session.objects.get().expire_date
        assert start + timedelta(seconds=7200) <= expires <= timezone.now() + timedelta(seconds=7200)


def test_the_default_draft_age_is_two_hours(settings):
    assert settings.SURVEYS_DRAFT_SECONDS == 2 * 3600 < settings.SESSION_COOKIE_AGE


def test_signed_in_staff_keep_their_usual_session_age(client, login, team_user, survey, q, settings):
    login(team_user)
    answer_through_pages(client, survey, section_posts(q)[:1])
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert draft_keys(client.session)  # the draft is there, in the long-lived session


def test_the_periodic_task_deletes_expired_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    for age in (-60, 3600):
        store = SessionStore()
        store["surveys:1"] = {"answers": {"1": "083048"}}
        store.set_expiry(age)
        store.save()
    assert Session.objects.count() == 2
    site_tasks.clear_expired_sessions.delay()
    assert Session.objects.get().expire_date > timezone.now()  # the expired one is gone, the live one stays


def test_on_demand_the_command_deletes_them_too(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    store = SessionStore()
    store["surveys:1"] = {"answers": {}}
    store.set_expiry(-60)
    store.save()
    call_command("clearsessions")
    assert not Session.objects.exists()


def test_beat_deletes_expired_sessions_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == site_tasks.clear_expired_sessions.name == "psm_portal.tasks.clear_expired_sessions"
    assert entry["schedule"] == settings.SESSIONS_CLEAR_SECONDS == 3600
    assert "psm_portal.tasks.clear_expired_sessions" in celery_app.tasks
    assert celery_app.conf.beat_schedule["clear-expired-sessions"] == entry
