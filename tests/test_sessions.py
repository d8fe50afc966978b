"""Sessions with Redis in front of the database (``psm_portal.lib.sessions``): a Redis outage loses nothing and
fails nothing, and what Redis still holds when it comes back is never served in place of the database's truth.

``SwitchableCache`` stands for Redis: a memory cache that raises Redis' connection error while ``down``, and keeps
what it held, as Redis coming back from its append-only file does.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cache import KEY_PREFIX as OLD_KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from psm_portal.lib import cache as cache_module
from psm_portal.lib import sessions
from psm_portal.lib.sessions import SessionStore
from surveys.factories import every_kind_questionnaire
from surveys.models import Response
from tests.surveys.conftest import MESSINA, Q, section_posts

pytestmark = pytest.mark.django_db


class SwitchableCache(LocMemCache):
    down = False

    def __getattribute__(self, name):
        if name in OPERATIONS and type(self).down:
            return refused
        return super().__getattribute__(name)


OPERATIONS = {"get", "set", "add", "delete", "get_many", "set_many", "delete_many", "has_key", "incr", "touch"}


def refused(*args, **kwargs):
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def redis(settings):
    """The sessions' engine on a cache that can be taken down and brought back with its data."""
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {"BACKEND": "tests.test_sessions.SwitchableCache", "LOCATION": "sessions"},
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "psm_portal.lib.sessions"
    SwitchableCache.down = False
    sessions._forgotten.clear()
    cache_module._outages.clear()
    caches["sessions"].clear()
    yield SwitchableCache
    SwitchableCache.down = False
    caches["sessions"].clear()
    sessions._forgotten.clear()


def cached(key: str):
    SwitchableCache.down, was = False, SwitchableCache.down
    try:
        return caches["sessions"].get(sessions.SessionStore.cache_key_prefix + key)
    finally:
        SwitchableCache.down = was


def test_a_session_is_in_the_database_and_in_the_cache(redis):
    store = SessionStore()
    store["bozza"] = {"sezione": 1}
    store.save()
    assert Session.objects.filter(session_key=store.session_key).exists()
    assert cached(store.session_key) == {"bozza": {"sezione": 1}}
    assert SessionStore(store.session_key)["bozza"] == {"sezione": 1}


def test_with_redis_down_sessions_are_read_and_written_in_the_database(redis, django_assert_num_queries):
    store = SessionStore()
    store["bozza"] = 1
    store.save()
    key = store.session_key
    redis.down = True
    with django_assert_num_queries(1):
        assert SessionStore(key)["bozza"] == 1  # a cache miss that the database answers
    new = SessionStore()
    new["bozza"] = 2
    new.save()  # created in the database only
    assert SessionStore(new.session_key)["bozza"] == 2


def test_a_change_made_while_redis_was_down_is_not_undone_when_it_comes_back(redis):
    store = SessionStore()
    store["bozza"] = {"fatte": [1]}
    store.save()
    old = store.session_key
    redis.down = True
    during = SessionStore(old)
    during["bozza"] = {"fatte": [1, 2]}
    during.save()
    # A new key, which the cache has never seen: the browser gets it in its cookie.
    assert during.session_key != old
    assert not Session.objects.filter(session_key=old).exists()
    redis.down = False
    assert SessionStore(during.session_key)["bozza"] == {"fatte": [1, 2]}
    # The old key's copy, still in Redis, was deleted at the first operation after the outage.
    assert cached(old) is None
    assert SessionStore(old).load() == {}


def test_signing_out_while_redis_is_down_is_not_undone_when_it_comes_back(redis):
    store = SessionStore()
    store[SESSION_KEY] = "42"
    store.save()
    key = store.session_key
    redis.down = True
    signed_in = SessionStore(key)
    assert signed_in[SESSION_KEY] == "42"
    signed_in.flush()  # what logout() does
    assert not Session.objects.filter(session_key=key).exists()
    redis.down = False
    assert SESSION_KEY not in SessionStore(key).load()
    assert cached(key) is None


def test_a_session_of_the_earlier_engine_is_kept_once_the_engine_changes(redis):
    caches["sessions"].set(OLD_KEY_PREFIX + "a" * 32, {SESSION_KEY: "7", "surveys:3": {"fatte": [1]}}, 3600)
    store = SessionStore("a" * 32)
    assert store[SESSION_KEY] == "7" and store["surveys:3"] == {"fatte": [1]}
    assert Session.objects.filter(session_key="a" * 32).exists()  # in the database from now on
    assert caches["sessions"].get(OLD_KEY_PREFIX + "a" * 32) is None
    assert SessionStore("a" * 32)[SESSION_KEY] == "7"


def test_an_unknown_key_is_an_empty_session(redis):
    assert SessionStore("b" * 32).load() == {}
    redis.down = True
    assert SessionStore("b" * 32).load() == {}


def test_answering_goes_on_across_a_redis_outage_through_the_pages(redis):
    """Section 1 with Redis up, section 2 with Redis down, Redis back for section 3: one response, complete."""
    survey = every_kind_questionnaire(slug="mobilita", title="Mobilità e futuro")
    q = Q(survey)
    client = Client()
    posts = section_posts(q)
    assert client.post(reverse("surveys:start", args=[survey.slug]), {"privacy": "on"}).status_code == 302
    assert client.post(reverse("surveys:section", args=[survey.slug, 1]), posts[0]).status_code == 302
    redis.down = True
    assert client.get(reverse("surveys:section", args=[survey.slug, 2])).status_code == 200
    reply = client.post(reverse("surveys:section", args=[survey.slug, 2]), posts[1])
    assert reply["Location"] == reverse("surveys:section", args=[survey.slug, 3])
    redis.down = False
    page = client.get(reverse("surveys:section", args=[survey.slug, 3]))
    assert page.status_code == 200  # not sent back to section 2 by what Redis held before the outage
    reply = client.post(reverse("surveys:section", args=[survey.slug, 3]), posts[2])  # through the session
    assert reply["Location"] == reverse("surveys:thanks", args=[survey.slug])
    assert Response.objects.count() == 1
    response = Response.objects.get()
    # Section 1's answers (sent before the outage), section 2's (during it) and section 3's are all there.
    assert response.municipality_id == MESSINA
    assert len(set(response.answers.values_list("question_id", flat=True))) == 11  # the conditional one skipped
