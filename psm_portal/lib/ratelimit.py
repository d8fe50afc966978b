"""A counter of events per key in Django's cache, for rate limits; it fails open.

With the cache unreachable a limit lets everybody through and logs a warning: a person is never refused because
Redis is down. Both ways a cache can fail are covered: a Redis cache that raises a connection error, and one that
fails soft (``add`` answers False and ``incr`` raises ``ValueError``, as for a missing key). While the portal's cache
(``psm_portal.lib.cache``) leaves Redis alone after an error, a limit lets through without a word: the cache logged it.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def within_limit(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one event of ``subject`` (a hashed address, say) in ``scope`` (the limit's name); False once more than
    ``limit`` were counted in the ``window`` seconds that began with the first of them. ``limit`` 0 or less means no
    limit. True, uncounted, when the cache cannot count."""
    if limit <= 0:
        return True
    if not getattr(cache, "reachable", True):
        # The portal's cache is leaving an unreachable Redis alone for a few seconds, and has said so in the log:
        # one warning per request would flood it.
        return True
    key = f"ratelimit:{scope}:{subject}"
    try:
        if cache.add(key, 1, timeout=window):
            return True
        try:
            count = cache.incr(key)
        except ValueError:
            # The key expired between add and incr; or a soft-failing cache cannot reach Redis and says so.
            if cache.add(key, 1, timeout=window):
                return True
            logger.warning("Rate limit %s not applied: the cache cannot count", scope)
            return True
    except UNREACHABLE as error:
        logger.warning("Rate limit %s not applied: the cache cannot be reached (%s)", scope, error.__class__.__name__)
        return True
    return count <= limit
