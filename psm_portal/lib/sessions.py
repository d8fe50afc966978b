"""Sessions kept in the database, with the cache (Redis) in front: the engine used with ``REDIS_URL``.

The database is the truth, the cache an accelerator (Django's ``cached_db``): a page reads the session from Redis
and only a change writes the database. With Redis down, restarting or too slow, every read is a cache miss that
the database answers and every write reaches the database only, so a citizen goes on answering the questionnaire
and a signed-in person stays signed in. The cache (``psm_portal.lib.cache``) answers as an empty cache when Redis
is unreachable; this engine also catches a connection error or a timeout itself, for a cache that raises them.

Why not Django's ``cached_db`` over the soft-failing cache alone: when Redis comes back (from its append-only
file, or after a network cut) it still holds the sessions as they were before the outage, and ``cached_db`` would
serve those: a questionnaire would jump back to an earlier section with the later answers gone, and a person who
signed out during the outage would be signed in again. So a write that could not reach the cache
moves the session to a new key, which the cache has never seen (the browser gets the new key in its cookie,
as at a sign-in); a key deleted while the cache was away (a sign-out, the old key of a moved session) is deleted
from the cache as soon as this process reaches it again.

Sessions written by the earlier engine (``django.contrib.sessions.backends.cache``, Redis only) are read once
from their old cache key and kept in the database from then on: nobody is signed out, no questionnaire being
answered starts over when this engine is switched on.
"""

from __future__ import annotations

import logging
import threading

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.backends.cache import KEY_PREFIX as OLD_KEY_PREFIX
from django.contrib.sessions.backends.db import SessionStore as DBStore

from psm_portal.lib.cache import UNREACHABLE

logger = logging.getLogger(__name__)

# Cache keys deleted from the database while the cache was away; at most this many are remembered.
MAX_FORGOTTEN = 100_000
_forgotten: set[str] = set()
_forgotten_lock = threading.Lock()


class SessionStore(cached_db.SessionStore):
    def _cache_do(self, operation, *args):
        """``(done, result)`` of a cache operation: ``done`` False when the cache could not be reached (then
        ``result`` is None), whether it raised or answered as an empty cache."""
        if not self._flush_forgotten():
            return False, None
        try:
            result = operation(*args)
        except UNREACHABLE as error:
            logger.debug("Session cache unreachable: %s", error)
            return False, None
        return getattr(self._cache, "reachable", True), result

    def _flush_forgotten(self) -> bool:
        """Delete from the cache the keys deleted while it was away; False if it still cannot be reached."""
        if not _forgotten:
            return True
        with _forgotten_lock:
            keys = list(_forgotten)
        try:
            self._cache.delete_many(keys)
        except UNREACHABLE:
            return False
        if not getattr(self._cache, "reachable", True):
            return False
        with _forgotten_lock:
            _forgotten.difference_update(keys)
        return True

    def load(self):
        key = self.session_key
        done, data = self._cache_do(self._cache.get, self.cache_key)
        if data is not None:
            return data
        row = self._get_session_from_db()  # which forgets the key when there is no such session
        if row is None:
            return self._adopt_old(key) if done and key else {}
        data = self.decode(row.session_data)
        if done:  # a cache that could not be read is not written either
            self._cache_do(self._cache.set, self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def _adopt_old(self, key: str) -> dict:
        """A session the earlier engine kept in the cache only: from now on in the database too, same key."""
        done, data = self._cache_do(self._cache.get, OLD_KEY_PREFIX + key)
        if not done or not data:
            return {}
        self._session_key = key
        self._session_cache = data
        try:
            self.save(must_create=True)
        except CreateError:
            return data  # another request adopted it at the same moment
        self._cache_do(self._cache.delete, OLD_KEY_PREFIX + key)
        return data

    def exists(self, session_key):
        # Asked only for a new key: the database is the truth, and the cache may be away.
        return bool(session_key) and DBStore.exists(self, session_key)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which comes back here with must_create
        DBStore.save(self, must_create)
        done, _ = self._cache_do(self._cache.set, self.cache_key, self._session, self.get_expiry_age())
        if not done and not must_create:
            # The cache may still hold this key's previous data and serve it once it is back: go on under a new
            # key (written to the database now, and to the browser's cookie by the middleware).
            self.cycle_key()

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        done, _ = self._cache_do(self._cache.delete, self.cache_key_prefix + session_key)
        if not done:
            with _forgotten_lock:
                if len(_forgotten) < MAX_FORGOTTEN:
                    _forgotten.add(self.cache_key_prefix + session_key)
