"""The cache counter behind rate limits: counts within a window, forgets after it, fails open."""

from __future__ import annotations

import logging

import time_machine
from django.core.cache import cache
from redis.exceptions import TimeoutError as RedisTimeoutError

from psm_portal.lib.ratelimit import within_limit


def test_it_counts_in_the_configured_cache():
    assert [within_limit("prova", "a", limit=2, window=60) for _ in range(3)] == [True, True, False]


def test_it_allows_up_to_the_limit_in_the_window_then_again_after_it(monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    from psm_portal.lib import ratelimit

    # A cache on this process's clock, which the test moves (Redis keeps its own).
    monkeypatch.setattr(ratelimit, "cache", LocMemCache("ratelimit-test", {}))
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False) as traveller:
        assert [within_limit("prova", "a", limit=3, window=60) for _ in range(4)] == [True, True, True, False]
        assert within_limit("prova", "b", limit=3, window=60)  # another subject has its own count
        assert within_limit("altro", "a", limit=3, window=60)  # and so has another limit
        traveller.shift(61)
        assert within_limit("prova", "a", limit=3, window=60)


def test_no_limit_when_the_limit_is_zero():
    assert all(within_limit("prova", "a", limit=0, window=60) for _ in range(10))


def test_a_timeout_of_the_cache_lets_through_with_a_warning(monkeypatch, caplog):
    def slow(*args, **kwargs):
        raise RedisTimeoutError("Timeout reading from socket")

    monkeypatch.setattr(cache, "add", slow)
    with caplog.at_level(logging.WARNING, logger="psm_portal.lib.ratelimit"):
        assert within_limit("prova", "a", limit=1, window=60)
    assert "Rate limit prova not applied: the cache cannot be reached (TimeoutError)" in caplog.text


def test_a_redis_that_is_not_there_lets_through_with_a_warning(monkeypatch, caplog):
    from django.core.cache.backends.redis import RedisCache

    from psm_portal.lib import ratelimit

    # Nothing listens on port 1: every command is refused, as with Redis stopped.
    monkeypatch.setattr(ratelimit, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    with caplog.at_level(logging.WARNING, logger="psm_portal.lib.ratelimit"):
        assert all(within_limit("prova", "a", limit=1, window=60) for _ in range(3))
    assert "not applied" in caplog.text
