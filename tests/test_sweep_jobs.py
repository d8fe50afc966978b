"""The sweeper: time limits below the claim timeouts, below the broker's visibility timeout; a periodic task
in Celery beat's schedule; ``manage.py sweep_jobs`` on demand, which with no worker finishes the jobs itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from plan.models import PlanDocument, PlanStatus
from plan.services import plan_request
from plan.tasks import render_plan_document
from projects.models import ImportState, Project, ProjectImport
from projects.services.imports import import_confirm, import_upload
from projects.tasks import apply_import, validate_import
from psm_portal import tasks as site_tasks
from psm_portal.celery import app as celery_app
from surveys.tasks import spread_responses
from tests.projects.conftest import csv_bytes, good_row

LONG_AGO = timedelta(hours=2)


def test_the_broker_redelivers_after_the_longest_task_not_after_an_hour():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert 15 * 60 <= visibility < 3600
    kinds = [
        ((validate_import, apply_import), settings.PROJECTS_IMPORT_TIME_LIMIT, settings.PROJECTS_IMPORT_STALE_SECONDS),
        ((render_plan_document,), settings.PSM_PLAN_RENDER_TIME_LIMIT, settings.PSM_PLAN_STALE_SECONDS),
        ((spread_responses,), settings.SURVEYS_SPREAD_TIME_LIMIT, settings.SURVEYS_SPREAD_STALE_SECONDS),
    ]
    for tasks, limit, stale in kinds:
        for task in tasks:
            assert (task.soft_time_limit, task.time_limit) == (limit, limit + 30), task.name
            # A live task is stopped before its claim looks stale, and long before the broker gives it away.
            assert task.time_limit < stale < visibility, task.name


def test_beat_runs_the_sweeper_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-stale-jobs"]
    assert entry["task"] == site_tasks.sweep_stale_jobs.name == "psm_portal.tasks.sweep_stale_jobs"
    assert entry["schedule"] == settings.PSM_SWEEP_SECONDS == 60
    assert entry["options"] == {"expires": 60}
    assert "psm_portal.tasks.sweep_stale_jobs" in celery_app.tasks
    assert celery_app.conf.beat_schedule["sweep-stale-jobs"] == entry


@pytest.mark.django_db
def test_the_command_with_no_worker_finishes_the_stuck_jobs_in_process(
    office_a_user, private_media, capsys, django_capture_on_commit_callbacks
):
    """The embedded default (no REDIS_URL): a web process killed mid-import and mid-render left both
    «in corso»; the command, run by cron or by hand, resumes them and runs them here."""
    office = office_a_user.office
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_upload(actor=office_a_user, office=office, name="p.csv", data=csv_bytes([good_row(1)]))
    with django_capture_on_commit_callbacks():  # confirmed; the process died before writing
        import_confirm(batch=batch)
    ProjectImport.objects.filter(pk=batch.pk).update(claimed_at=timezone.now() - LONG_AGO)
    document, _ = plan_request(kind="draft", enqueue=False)
    PlanDocument.objects.filter(pk=document.pk).update(
        status=PlanStatus.RENDERING, claim="b" * 32, started_at=timezone.now() - LONG_AGO
    )
    assert celery_app.conf.task_always_eager
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_jobs")
    assert capsys.readouterr().out == (
        "Lavori ripresi: importazioni di progetti 1, documenti del piano 1, distribuzione delle risposte 0.\n"
    )
    batch.refresh_from_db()
    document.refresh_from_db()
    assert (batch.state, batch.resumes, Project.objects.count()) == (ImportState.DONE, 1, 1)
    assert (document.status, document.resumes) == (PlanStatus.READY, 1)
    with django_capture_on_commit_callbacks(execute=True):  # run again: nothing left to resume
        call_command("sweep_jobs")
    assert "importazioni di progetti 0, documenti del piano 0" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_sweep_that_fails_does_not_stop_the_others(monkeypatch, capsys, caplog):
    ran = []

    def broken():
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(
        site_tasks,
        "SWEEPS",
        {"importazioni di progetti": broken, "documenti del piano": lambda: ran.append("plan") or 0},
    )
    with pytest.raises(CommandError) as error:
        call_command("sweep_jobs")
    assert str(error.value) == "Controllo non riuscito per: importazioni di progetti (vedi il log)."
    assert ran == ["plan"] and "Sweep of importazioni di progetti failed" in caplog.text
    site_tasks.sweep_stale_jobs.apply()  # the periodic task logs the failure and goes on, too
    assert ran == ["plan", "plan"]
