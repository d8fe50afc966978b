"""The site's periodic tasks (Celery beat, ``CELERY_BEAT_SCHEDULE`` in settings): the worker's heartbeat,
the sweeper that resumes the jobs whose worker died, and the deletion of expired sessions.

The heartbeat lives in the cache, that is in Redis when the portal runs with a worker: every web machine
reads the same key, writing it costs the database nothing, and a worker that can write it is one that takes
tasks from the Redis queue, which is what ``/healthz`` wants to know.

Each app owns the sweep of its own jobs (a claim older than the app's timeout is taken back by a conditional
UPDATE, recorded, and the job handed out again through the app's task); the site only runs them one after
the other: from Celery beat, or on demand with ``manage.py sweep_jobs`` (cron, or by hand when no worker
runs: tasks then run in that process). One task rather than one per app: one line in the schedule, one
command, one place that says what is swept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from plan.services import plan_resume_stale
from projects.services.imports import imports_resume_stale
from surveys.spreading import spreading_resume_stale

logger = logging.getLogger(__name__)

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


# What is swept, named as the command reports it; each returns how many jobs it resumed (or ended, when one
# kept dying).
SWEEPS: dict[str, Callable[[], int]] = {
    "importazioni di progetti": imports_resume_stale,
    "documenti del piano": plan_resume_stale,
    "distribuzione delle risposte": spreading_resume_stale,
}


def sweep_stale_jobs_now() -> tuple[dict[str, int], list[str]]:
    """Run every sweep; returns how many jobs each resumed (or ended), and the sweeps that failed (logged):
    one that fails never keeps the others from running."""
    handled: dict[str, int] = {}
    failed: list[str] = []
    for name, sweep in SWEEPS.items():
        try:
            handled[name] = sweep()
        except Exception:
            logger.exception("Sweep of %s failed", name)
            failed.append(name)
    return handled, failed


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def sweep_stale_jobs() -> None:
    """Resume the jobs whose worker died (run by Celery beat every PSM_SWEEP_SECONDS)."""
    handled, _failed = sweep_stale_jobs_now()
    if any(handled.values()):
        logger.warning("Jobs resumed or ended by the sweeper: %s", handled)


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry, as ``manage.py clearsessions`` does (run by Celery beat every
    SESSIONS_CLEAR_SECONDS): a questionnaire's answers left in an abandoned session go with it. Database
    sessions need it; Redis drops its expired keys by itself."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
