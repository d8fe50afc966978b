"""The site's periodic tasks (Celery beat, ``CELERY_BEAT_SCHEDULE`` in settings).

The worker's heartbeat lives in the cache, that is in Redis when the portal runs with a worker: every web
machine reads the same key, writing it costs the database nothing, and a worker that can write it is one that
takes tasks from the Redis queue, which is what ``/healthz`` wants to know.
"""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "psm:worker-heartbeat"
# Kept a day, so that a worker stopped for hours still shows its age ("stale") rather than nothing.
HEARTBEAT_KEEP_SECONDS = 24 * 3600


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Record that a worker took a task from the queue just now (the wall clock, shared by every machine)."""
    cache.set(HEARTBEAT_KEY, time.time(), HEARTBEAT_KEEP_SECONDS)


def heartbeat_age() -> float | None:
    """Seconds since a worker last ran ``heartbeat``; None when none has within a day."""
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return None
    return max(0.0, time.time() - float(beat))
