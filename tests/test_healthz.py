"""/healthz: JSON with the state of database and broker; 503 when the database is down."""

from __future__ import annotations

import os

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from psm_portal import views
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
    assert response.json() == {"database": "error", "broker": response.json()["broker"], "status": "error"}


def test_broker_down_is_degraded_but_still_200(client, monkeypatch):
    monkeypatch.setattr(views, "_broker_state", lambda: "error")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error", "status": "degraded"}


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
