"""The Redis cache keeps one client per connection pool instead of building one per operation, and answers as an
empty cache while Redis is unreachable."""

from __future__ import annotations

import logging
import os
import shutil

import pytest
from django.core.cache import caches

from psm_portal.lib import cache as cache_module
from psm_portal.lib.cache import RedisCache, ReusingRedisCacheClient
from tests.conftest import skip_or_fail
from tests.processes import RedisServer


def test_one_client_per_pool_is_built_without_connecting():
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens there: building connects nothing
    assert isinstance(cache._cache, ReusingRedisCacheClient)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client(write=False) is client  # one server: reads and writes share the pool


def test_the_portal_s_redis_cache_works_with_the_kept_client():
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL non impostata: serve Redis per la cache")
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("psm-test-cache", {"risposte": [1, 2]}, 5)
    assert cache.get("psm-test-cache") == {"risposte": [1, 2]}
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.delete("psm-test-cache")
    assert cache.get("psm-test-cache") is None


# --- Redis unreachable: the cache answers as an empty one --------------------------------------------


@pytest.fixture
def fresh_outages(settings):
    """Each test starts with no server left alone after an earlier test's error."""
    settings.CACHE_RETRY_SECONDS = 5
    settings.CACHE_WARNING_SECONDS = 60
    cache_module._outages.clear()
    yield
    cache_module._outages.clear()


def test_an_unreachable_redis_answers_as_an_empty_cache_and_is_then_left_alone(fresh_outages, caplog, monkeypatch):
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens there: refused, as with Redis stopped
    assert cache.reachable
    with caplog.at_level(logging.WARNING, logger="psm_portal.lib.cache"):
        assert cache.get("k") is None and cache.get("k", "predefinito") == "predefinito"
    assert not cache.reachable
    attempts = []
    monkeypatch.setattr(cache._cache, "get_client", lambda *a, **k: attempts.append(1))
    assert cache.set("k", 1, 60) is None
    assert cache.add("k", 1, 60) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}, 60) == ["a"]
    assert cache.delete("k") is False and cache.delete_many(["a"]) is None
    assert "k" not in cache and cache.touch("k") is False
    assert cache.get_or_set("k", lambda: 42) == 42
    with pytest.raises(ValueError):
        cache.incr("k")
    assert attempts == []  # left alone for CACHE_RETRY_SECONDS: no connection is tried
    # One warning for the whole outage, naming what failed.
    warnings = [r for r in caplog.records if r.name == "psm_portal.lib.cache"]
    assert len(warnings) == 1 and "unreachable (ConnectionError" in warnings[0].getMessage()


def test_a_warning_at_most_every_cache_warning_seconds(fresh_outages, settings, caplog):
    settings.CACHE_RETRY_SECONDS = 0  # try Redis again at each operation
    cache = RedisCache("redis://127.0.0.1:1/0", {})
    with caplog.at_level(logging.WARNING, logger="psm_portal.lib.cache"):
        for _ in range(3):
            assert cache.get("k") is None
    assert len([r for r in caplog.records if r.name == "psm_portal.lib.cache"]) == 1


def test_the_outage_is_shared_by_every_thread_s_cache_object(fresh_outages):
    """Django gives each thread its own cache object: what one learnt, the others know."""
    first = RedisCache("redis://127.0.0.1:1/0", {})
    second = RedisCache("redis://127.0.0.1:1/0", {})
    first.get("k")
    assert not second.reachable


def test_the_rate_limit_fails_open_on_the_portal_s_cache(fresh_outages, monkeypatch, caplog):
    from psm_portal.lib import ratelimit

    monkeypatch.setattr(ratelimit, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    with caplog.at_level(logging.WARNING):
        assert all(ratelimit.within_limit("prova", "a", limit=1, window=60) for _ in range(3))
    assert "Rate limit prova not applied" in caplog.text


def test_the_cache_works_again_once_redis_is_back(fresh_outages, settings, tmp_path, caplog):
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server non installato")
    settings.CACHE_RETRY_SECONDS = 0
    server = RedisServer(tmp_path / "redis").start()
    try:
        cache = RedisCache(server.url(), {})
        cache.set("k", "prima", 60)
        server.kill()
        with caplog.at_level(logging.WARNING, logger="psm_portal.lib.cache"):
            assert cache.get("k") is None
            server.start()  # from its append-only file: what it held is back
            assert cache.get("k") == "prima"
        assert cache.reachable
        assert "reachable again" in caplog.text
    finally:
        server.stop()


def test_while_redis_is_left_alone_the_rate_limit_lets_through_without_a_warning_each_time(
    fresh_outages, monkeypatch, caplog
):
    from psm_portal.lib import ratelimit

    monkeypatch.setattr(ratelimit, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    with caplog.at_level(logging.WARNING):
        assert all(ratelimit.within_limit("prova", "a", limit=1, window=60) for _ in range(50))
    assert len([r for r in caplog.records if r.name == "psm_portal.lib.ratelimit"]) == 1
    assert len([r for r in caplog.records if r.name == "psm_portal.lib.cache"]) == 1
