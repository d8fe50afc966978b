"""A worker killed mid-import and mid-render: the job is finished after the sweeper, exactly once, and says so.

Each test starts its own Redis (a private port) and real Celery workers on the test database (PostgreSQL
needed: a worker cannot share the test's SQLite). The first worker is slowed by a test hook and SIGKILLed in
the middle of the job; the broker's visibility timeout stays at its default (30 minutes), so nothing comes back
by itself within the test: only the sweeper — ``manage.py sweep_jobs``, or Celery beat running the periodic
task — hands the job to the new worker.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from plan.models import PlanDocument, PlanStatus
from plan.services import plan_request
from plan.tasks import render_plan_document
from projects.models import ImportState, Project, ProjectChange, ProjectImport
from projects.services.imports import import_confirm, import_validate
from projects.tasks import apply_import
from psm_portal.audit.models import AuditEvent
from psm_portal.celery import app as celery_app
from tests.conftest import skip_or_fail
from tests.processes import ROOT, PortalProcess, RedisServer, wait_until
from tests.projects.conftest import csv_bytes, good_row

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROWS = 300


@pytest.fixture
def services(transactional_db, tmp_path, monkeypatch):
    """A private Redis, a private queue, a shared media folder, and the environment of the portal's processes
    (``transactional_db`` named here, so the 108 comuni are loaded again after an earlier test's flush)."""
    if connection.vendor != "postgresql":
        skip_or_fail("serve PostgreSQL (DATABASE_URL): i worker devono vedere il database di test")
    if not (Path("/usr/bin/redis-server").exists() or shutil.which("redis-server")):
        skip_or_fail("redis-server non installato: i test di guasto avviano un Redis privato")
    redis = RedisServer(tmp_path / "redis").start()
    media = tmp_path / "media"
    media.mkdir()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    db = connection.settings_dict
    queue = f"psm-faults-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis.url(),
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(media),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_VISIBILITY_TIMEOUT": "1800",  # the default: the broker redelivers nothing during the test
    }
    started: list[PortalProcess] = []

    def start(kind: str, name: str, **extra: str) -> PortalProcess:
        log = tmp_path / f"{name}.log"
        if kind == "worker":
            process = PortalProcess.worker(env={**env, **extra}, log=log, queue=queue, name=name)
        else:  # Celery beat, its schedule file in the test's folder
            args = [sys.executable, "-m", "celery", "-A", "psm_portal", "beat", "--loglevel=INFO"]
            args += ["-s", str(tmp_path / "beat-schedule")]
            process = PortalProcess(args, env={**env, **extra}, log=log)
        started.append(process.start())
        return process

    def send(task, *args) -> None:
        """Send a task to the private Redis and queue, as a web process configured for them would."""
        with celery_app.connection_for_write(redis.url()) as conn:
            task.apply_async(args=list(args), queue=queue, connection=conn)

    try:
        yield {"env": env, "media": media, "start": start, "send": send, "tmp": tmp_path}
    finally:
        for process in started:
            process.stop()
        redis.stop()


def _in_a_transaction() -> bool:
    """Another connection to the test database is inside a transaction (the import's write, sleeping)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def _succeeded(process: PortalProcess, task: str) -> int:
    return sum(1 for line in process.output().splitlines() if task in line and " succeeded in " in line)


def _sweep(services, **timeouts: str) -> str:
    """``manage.py sweep_jobs`` as cron would run it, with the claim timeouts made short."""
    result = subprocess.run(
        [sys.executable, "manage.py", "sweep_jobs"],
        cwd=ROOT,
        env={**os.environ, **services["env"], "DJANGO_SETTINGS_MODULE": "psm_portal.settings", **timeouts},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_worker_killed_mid_import_leaves_the_import_to_the_next_after_the_sweep(
    services, office_a_user, office_a, client, monkeypatch, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": services["media"]},
        },
    }
    rows = [good_row(n) for n in range(1, ROWS + 1)]
    batch = ProjectImport(
        office=office_a, uploaded_by=office_a_user, original_name="progetti.csv", state=ImportState.VALIDATING
    )
    batch.file.save("progetti.csv", ContentFile(csv_bytes(rows)), save=False)
    batch.save()
    import_validate(batch_id=batch.pk)  # the check, here: what the fault hits is the write
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEW and batch.to_create == ROWS, batch.errors[:3]

    first = services["start"]("worker", "first", PROJECTS_IMPORT_STEP_DELAY="2")
    monkeypatch.setattr(apply_import, "delay", lambda pk: services["send"](apply_import, pk))
    import_confirm(batch=batch)  # the office's confirmation: the write goes to the first worker

    # The first worker has claimed the import and written its projects, not yet committed: kill it there.
    wait_until(
        lambda: (
            ProjectImport.objects.filter(pk=batch.pk, state=ImportState.IMPORTING).exclude(claim="").exists()
            and _in_a_transaction()
        ),
        timeout=120,
        what="il primo worker scrive l'importazione",
        log=first.log,
    )
    first.kill()
    wait_until(lambda: not _in_a_transaction(), timeout=30, what="la transazione del worker ucciso è annullata")
    batch.refresh_from_db()
    assert batch.state == ImportState.IMPORTING and batch.claim and batch.resumes == 0
    assert not Project.objects.exists()  # all or nothing: the killed write left no row

    # Stuck: the office cannot confirm again, and nothing moves by itself.
    client.force_login(office_a_user, backend="psm_portal.accounts.backends.RoleBackend")
    status = client.get(reverse("projects:import_status", args=[batch.pk])).json()
    assert status["running"] and not status["resumed"]

    # The sweeper (cron's `manage.py sweep_jobs`, the claim timeout made short) hands it out again.
    out = _sweep(services, PROJECTS_IMPORT_STALE_SECONDS="1")
    assert "importazioni di progetti 1" in out
    status = client.get(reverse("projects:import_status", args=[batch.pk])).json()
    assert status["label"] == "importazione in corso — lavoro ripreso dopo un'interruzione"
    assert (status["running"], status["resumed"], status["processed"], status["percent"]) == (True, True, 0, 0)

    second = services["start"]("worker", "second")
    wait_until(
        lambda: ProjectImport.objects.filter(pk=batch.pk, state=ImportState.DONE).exists(),
        timeout=120,
        what="il secondo worker conclude l'importazione",
        log=second.log,
    )
    # A late duplicate of the message, and another sweep, change nothing.
    services["send"](apply_import, batch.pk)
    assert "importazioni di progetti 0" in _sweep(services, PROJECTS_IMPORT_STALE_SECONDS="1")
    wait_until(
        lambda: _succeeded(second, "projects.tasks.apply_import") == 2,
        timeout=60,
        what="il worker riceve il duplicato",
        log=second.log,
    )

    batch.refresh_from_db()
    assert (batch.state, batch.resumes, batch.to_create) == (ImportState.DONE, 1, ROWS)
    assert Project.objects.count() == ROWS and ProjectChange.objects.count() == ROWS  # exactly once
    assert AuditEvent.objects.filter(action="projects.import").count() == 1
    status = client.get(reverse("projects:import_status", args=[batch.pk])).json()
    assert (status["state"], status["resumed"]) == ("done", True)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Il lavoro è stato ripreso dopo un'interruzione" in page


def test_a_worker_killed_mid_render_leaves_the_document_to_the_next_after_the_beat_sweep(
    services, team_user, client, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": services["media"]},
        },
    }
    document, created = plan_request(kind="draft", enqueue=False)
    assert created
    first = services["start"]("worker", "first", PSM_PLAN_STEP_DELAY="3")
    services["send"](render_plan_document, document.pk)

    def mid_render():
        row = PlanDocument.objects.filter(pk=document.pk).values("status", "progress").get()
        return row["status"] == PlanStatus.RENDERING and row["progress"] >= 20

    wait_until(mid_render, timeout=120, what="il primo worker impagina il documento", log=first.log)
    first.kill()
    document.refresh_from_db()
    assert (document.status, document.attempts, document.resumes) == (PlanStatus.RENDERING, 1, 0)

    # Celery beat runs the periodic sweep every second; the new worker runs it and then the render.
    fast = {"PSM_SWEEP_SECONDS": "1", "PSM_PLAN_STALE_SECONDS": "2"}
    second = services["start"]("worker", "second", **fast)
    beat = services["start"]("beat", "beat", **fast)
    wait_until(
        lambda: PlanDocument.objects.filter(pk=document.pk, resumes__gte=1).exists(),
        timeout=120,
        what="il sweeper di beat riprende il documento",
        log=second.log,
    )
    beat.stop()  # one resumption is what this test is about
    wait_until(
        lambda: PlanDocument.objects.filter(pk=document.pk, status=PlanStatus.READY).exists(),
        timeout=180,
        what="il secondo worker conclude il documento",
        log=second.log,
    )
    assert "sweep_stale_jobs" in second.output()

    document.refresh_from_db()
    assert (document.status, document.progress, document.resumes) == (PlanStatus.READY, 100, 1)
    assert document.attempts == 2  # the killed claim and the one that finished
    assert PlanDocument.objects.count() == 1
    files = list((services["media"] / "piano").iterdir())
    assert [f.name for f in files] == [document.filename]  # one PDF
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == document.sha256
    client.force_login(team_user, backend="psm_portal.accounts.backends.RoleBackend")
    status = client.get(reverse("plan:status", args=[document.pk])).json()
    assert (status["status"], status["resumed"]) == ("ready", True)
    page = client.get(reverse("plan:progress", args=[document.pk])).content.decode()
    assert "Ripreso dopo un'interruzione" in page
