"""/healthz: JSON with the state of database, cache (Redis), broker and worker heartbeat.

503 when the database, or Redis when it is configured, is unreachable; 200 "degraded" when only the broker or the
worker's heartbeat is wrong.
"""

from __future__ import annotations

import os
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from psm_portal import tasks, views
from psm_portal.celery import app as celery_app
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db


def test_healthy_portal_answers_200_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "eager"}
    assert body["status"] == "ok"


def test_eager_tasks_are_reported_as_such(client, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    assert client.get("/healthz").json()["broker"] == "eager"


def test_database_down_answers_503(client, monkeypatch):
    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error"
    assert body["status"] == "error"
    assert body["failed"] == ["database"]


def test_broker_down_is_degraded_but_still_200(client, monkeypatch):
    monkeypatch.setattr(views, "_broker_state", lambda: "error")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"], body["status"], body["failed"]) == ("ok", "error", "degraded", ["broker"])


def test_reachable_redis_is_ok(monkeypatch):
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL non impostata: lo stato del broker reale richiede Redis")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    assert views._broker_state() == "ok"


def test_unreachable_broker_is_reported(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    assert views._broker_state() == "error"


def test_healthz_has_no_language_prefix_and_refuses_post(client):
    assert client.get("/en/healthz").status_code == 404
    assert client.post("/healthz").status_code == 405


# --- Redis (cache, sessions, rate limits) -----------------------------------------


def test_without_redis_the_cache_is_local(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").json()["cache"] == "local"


def test_unreachable_redis_is_a_503_naming_the_cache(client, settings, monkeypatch):
    """The main write path (sessions, rate limit) is broken: the load balancer must stop sending citizens here."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(views, "_broker_state", lambda: "error")
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["cache"], body["status"]) == ("ok", "error", "error")
    assert body["failed"] == ["cache", "broker"]
    assert body["worker"]["state"] == "unknown"


def test_reachable_redis_is_ok_for_the_cache(client, settings):
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL non impostata: il ping di Redis richiede Redis")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/healthz").json()["cache"] == "ok"


# --- The worker's heartbeat ---------------------------------------------------------


@pytest.fixture
def real_worker(monkeypatch):
    """The portal as deployed with a worker: tasks go to the broker (which answers)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(views, "_broker_state", lambda: "ok")
    monkeypatch.setattr(views, "_cache_state", lambda: "ok")


def test_a_recent_heartbeat_is_ok(client, settings, real_worker):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 300
    # The clock stands still during the request: on a loaded machine the request itself may take seconds.
    with time_machine.travel(time.time(), tick=False):
        cache.set(tasks.HEARTBEAT_KEY, time.time() - 42, None)
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["worker"]["state"] == "ok"
    assert body["worker"]["heartbeat_age_seconds"] == 42
    assert body["status"] == "ok"


def test_a_stale_heartbeat_alone_is_degraded_but_200(client, settings, real_worker):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 300
    cache.set(tasks.HEARTBEAT_KEY, time.time() - 1000, None)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["worker"]["state"] == "stale"
    assert body["worker"]["heartbeat_age_seconds"] >= 1000
    assert body["status"] == "degraded"
    assert body["failed"] == []


def test_no_heartbeat_ever_is_unknown_and_degraded(client, real_worker):
    body = client.get("/healthz").json()
    assert body["worker"] == {"state": "unknown", "heartbeat_age_seconds": None}
    assert body["status"] == "degraded"


def test_with_eager_tasks_no_worker_is_expected(client):
    body = client.get("/healthz").json()
    assert body["broker"] == "eager"
    assert body["worker"] == {"state": "unknown", "heartbeat_age_seconds": None}
    assert body["status"] == "ok"


def test_the_heartbeat_task_records_the_time(client, real_worker):
    tasks.heartbeat.apply()
    body = client.get("/healthz").json()
    assert body["worker"]["state"] == "ok"
    assert body["worker"]["heartbeat_age_seconds"] < 5


def test_beat_runs_the_heartbeat_and_it_expires_unrun(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == "psm_portal.tasks.heartbeat"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == settings.WORKER_HEARTBEAT_SECONDS
    assert 0 < entry["options"]["expires"] <= settings.WORKER_HEARTBEAT_SECONDS
    assert settings.WORKER_HEARTBEAT_STALE_SECONDS > settings.WORKER_HEARTBEAT_SECONDS
