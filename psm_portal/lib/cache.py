"""Django's Redis cache, soft-failing: with Redis unreachable it answers as an empty cache instead of raising.

Everything the portal keeps in the cache can be done without it, only slower or less strictly: the catalogue's
facets and map are computed again, a rate limit lets people through, an import's progress comes from the database,
sessions are read from the database (``psm_portal.lib.sessions``). So a Redis that is down, restarting or too slow
must never turn a citizen's page into a 500. On a connection error or a timeout an operation answers as for a
missing key (``get`` → the default, ``get_many`` → ``{}``, ``add``/``touch``/``delete``/``has_key`` → False,
``set``/``delete_many`` → nothing, ``incr`` → ``ValueError``) and logs a warning, at most every
``CACHE_WARNING_SECONDS``. The cache is then left alone for ``CACHE_RETRY_SECONDS`` (every operation answers at
once, without a connection attempt that could take a socket timeout each time), after which the next operation
tries Redis again. ``reachable`` says whether the last attempt worked: the session engine asks it to learn that a
write did not reach Redis. Other errors (a bad key, a Redis refusing a command) still raise: they are bugs.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every operation; with redis-py 8 that
costs more than the command itself (its table of reply handlers is copied into a case-insensitive dict each time).
A client is thread-safe and holds no connection of its own (the pool does, and the pool notices a fork), so one
per pool serves every request of the process.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis is not there, refuses connections, is still loading its data, or answers too late.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class Outage:
    """Whether a Redis server is being left alone after an error, shared by every thread of the process (Django
    gives each thread its own cache object, so this cannot live on it)."""

    def __init__(self, name: str):
        self.name = name
        self.retry_at = 0.0  # time.monotonic() before which the server is left alone
        self.since = 0.0  # when the current outage began (0: none)
        self.failures = 0  # operations answered without Redis since the last warning
        self.warned_at = float("-inf")
        self._lock = threading.Lock()

    @property
    def reachable(self) -> bool:
        return time.monotonic() >= self.retry_at

    def skipped(self) -> None:
        self.failures += 1

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self.retry_at = now + settings.CACHE_RETRY_SECONDS
            self.since = self.since or now
            self.failures += 1
            if now - self.warned_at < settings.CACHE_WARNING_SECONDS:
                return
            self.warned_at, failures, self.failures = now, self.failures, 0
        logger.warning(
            "Cache %s unreachable (%s: %s) for %.0f s: %d operations answered as a cache miss; next try in %d s",
            self.name,
            error.__class__.__name__,
            error,
            now - self.since,
            failures,
            settings.CACHE_RETRY_SECONDS,
        )

    def worked(self) -> None:
        if not self.since:
            return
        with self._lock:
            since, self.since, self.failures = self.since, 0.0, 0
        if since:
            logger.warning("Cache %s reachable again after %.0f s", self.name, time.monotonic() - since)


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(name: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(name, Outage(name))


def _missing_key(*args, **kwargs):
    raise ValueError("The cache is unreachable: no key can be incremented.")


def _soft(fallback):
    """Run the operation unless Redis is being left alone; on a connection error or a timeout answer
    ``fallback(*args, **kwargs)`` instead, as an empty cache would."""

    def decorate(method):
        @functools.wraps(method)
        def operation(self, *args, **kwargs):
            outage = self.outage
            if not outage.reachable:
                outage.skipped()
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                outage.failed(error)
                return fallback(*args, **kwargs)
            outage.worked()
            return result

        return operation

    return decorate


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.outage = outage_of(",".join(self._servers))

    @property
    def reachable(self) -> bool:
        """False while Redis is left alone after an error: what was written since may not be in it."""
        return self.outage.reachable

    @_soft(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_soft(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_soft(lambda *args, **kwargs: False)
    def add(self, key, value, *args, **kwargs):
        return super().add(key, value, *args, **kwargs)

    @_soft(lambda *args, **kwargs: None)
    def set(self, key, value, *args, **kwargs):
        return super().set(key, value, *args, **kwargs)

    @_soft(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, *args, **kwargs):
        return super().set_many(data, *args, **kwargs)

    @_soft(lambda *args, **kwargs: False)
    def touch(self, key, *args, **kwargs):
        return super().touch(key, *args, **kwargs)

    @_soft(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_soft(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_soft(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_soft(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_soft(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
