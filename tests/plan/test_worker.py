"""A real Celery worker on Redis: killed mid-render, the document is finished by another, exactly once."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from municipalities.models import Municipality
from plan.models import PlanDocument, PlanStatus
from plan.services import plan_request
from plan.tasks import render_plan_document
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def _require_broker_and_postgres():
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL non impostata: serve Redis per il worker Celery")
    if connection.vendor != "postgresql":
        skip_or_fail("serve PostgreSQL (DATABASE_URL) perché il worker veda il database di test")


def _worker(name: str, queue: str, media: Path, log: Path, step_delay: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": "3",  # the killed worker's message comes back quickly
        "MEDIA_ROOT": str(media),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PSM_PLAN_STEP_DELAY": step_delay,
    }
    # The solo pool renders in the worker process itself, so SIGKILL really stops the render.
    command = [sys.executable, "-m", "celery", "-A", "psm_portal", "worker", "--pool", "solo", "-Q", queue,
               "-n", f"{name}-{queue}@%h", "--without-gossip", "--without-mingle", "-l", "INFO"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _wait_for(condition, timeout: float, what: str, logs: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timeout waiting for {what}\n--- worker log ---\n{logs.read_text(errors='replace')[-4000:]}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_the_document_to_another(tmp_path, settings):
    _require_broker_and_postgres()
    if Municipality.objects.count() != 108:  # a previous transactional test may have flushed them
        call_command("load_municipalities", verbosity=0)
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    queue = f"psm-test-plan-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "workers.log"
    document, created = plan_request(kind="draft", enqueue=False)
    assert created

    first = _worker("first", queue, media, log, step_delay="3")
    second = None
    try:
        render_plan_document.apply_async(args=[document.pk], queue=queue)

        def mid_render():
            row = PlanDocument.objects.filter(pk=document.pk).values("status", "progress").get()
            return row["status"] == PlanStatus.RENDERING and row["progress"] >= 20

        _wait_for(mid_render, 90, "the first worker to start rendering", log)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        document.refresh_from_db()
        assert document.status == PlanStatus.RENDERING and document.attempts == 1
        assert not (media / "piano").exists() or not any((media / "piano").iterdir())

        second = _worker("second", queue, media, log, step_delay="0")

        def ready():
            return PlanDocument.objects.filter(pk=document.pk, status=PlanStatus.READY).exists()

        _wait_for(ready, 120, "the second worker to finish the document", log)
        # A late duplicate delivery finds the document ready and leaves it alone.
        render_plan_document.apply_async(args=[document.pk], queue=queue)
        time.sleep(3)
    finally:
        for worker in (first, second):
            if worker and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()

    document.refresh_from_db()
    assert PlanDocument.objects.filter(status=PlanStatus.READY).count() == 1
    assert document.status == PlanStatus.READY and document.progress == 100
    assert document.attempts == 2  # the killed attempt and the one that finished; the duplicate did not claim
    files = list((media / "piano").iterdir())
    assert [f.name for f in files] == [document.filename]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == document.sha256
    assert document.pages and document.pages > 10
