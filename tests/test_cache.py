"""The Redis cache keeps one client per connection pool instead of building one per operation."""

from __future__ import annotations

import os

from django.core.cache import caches

from psm_portal.lib.cache import RedisCache, ReusingRedisCacheClient
from tests.conftest import skip_or_fail


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
