"""A real Celery worker on Redis sends an invitation end to end (PostgreSQL and REDIS_URL needed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from psm_portal.accounts.models import Role, User
from psm_portal.accounts.services import user_invite
from psm_portal.celery import app as celery_app
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 60


@pytest.fixture
def integration_services():
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL non impostata: il test del worker Celery richiede Redis")
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL non punta a PostgreSQL: il worker Celery non può condividere un database SQLite")


@pytest.fixture
def queue() -> str:
    """A queue of this test only, so that no other worker on the same Redis takes its task."""
    name = f"psm-test-{uuid.uuid4().hex[:10]}"
    saved = (celery_app.conf.task_default_queue, celery_app.conf.task_always_eager)
    celery_app.conf.task_default_queue = name
    celery_app.conf.task_always_eager = False
    yield name
    celery_app.conf.task_default_queue, celery_app.conf.task_always_eager = saved
    # Leave nothing of this queue behind on the shared Redis.
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
    client.close()


@pytest.fixture
def worker(integration_services, queue, tmp_path):
    """``celery -A psm_portal worker`` on the *test* database, writing e-mails to files in tmp_path."""
    database = dj_database_url.parse(os.environ["DATABASE_URL"])
    test_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + settings.DATABASES["default"]["NAME"]
    assert dj_database_url.parse(test_url)["HOST"] == database["HOST"]
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": test_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "psm_portal.settings",
    }
    log = open(tmp_path / "worker.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "psm_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield {"mail_dir": mail_dir, "log": tmp_path / "worker.log", "process": process}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_for(condition, worker, what: str):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if (result := condition()) is not None:
            return result
        if worker["process"].poll() is not None:
            pytest.fail(f"il worker è terminato ({worker['process'].returncode}):\n{worker['log'].read_text()}")
        time.sleep(0.3)
    pytest.fail(f"{what}: niente dopo {DEADLINE_SECONDS} s.\n{worker['log'].read_text()}")


def _invitation_link(mail_dir: Path) -> str | None:
    for path in mail_dir.iterdir():
        match = re.search(r"https?://[^/\s]+(/accedi/invito/\S+/)", path.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return None


def test_a_real_worker_sends_the_invitation(worker, team_user, client):
    user = user_invite(
        invited_by=team_user,
        email="operaio@test.local",
        full_name="Ottavio Operaio",
        role=Role.STAKEHOLDER,
        organisation="Confartigianato",
    )
    assert celery_app.conf.task_always_eager is False  # the web process only enqueued the task

    link = _wait_for(lambda: _invitation_link(worker["mail_dir"]), worker, "e-mail di invito")
    invited_at = _wait_for(
        lambda: User.objects.filter(pk=user.pk).values_list("invited_at", flat=True).first(),
        worker,
        "invited_at",
    )
    assert invited_at is not None
    assert "send_invitation" in worker["log"].read_text()

    # The link written by the worker works in the web process.
    page = client.get(link, follow=True)
    assert page.context["validlink"] is True
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": "Worker-Celery-2026", "new_password2": "Worker-Celery-2026"}
    )
    assert done["Location"] == reverse("accounts:dashboard")


def test_a_real_worker_spreads_the_responses(transactional_db, worker, settings):
    """A submission asks for a run after the delay; the worker writes the answers and the counts."""
    from surveys import services, tasks
    from surveys.factories import every_kind_questionnaire
    from surveys.models import Answer, Response, Tally
    from tests.surveys.conftest import Q, full_answers

    survey = every_kind_questionnaire(slug="lavoratore", title="Il worker")
    for _ in range(3):
        services.response_submit(questionnaire=survey, answers=full_answers(Q(survey)))
    settings.SURVEYS_SPREAD_DELAY_SECONDS = 0
    tasks.spread_soon()
    assert Response.objects.pending().count() == 3  # the web process only enqueued the run
    _wait_for(
        lambda: True if not Response.objects.pending().exists() else None, worker, "risposte distribuite dal worker"
    )
    assert Answer.objects.filter(response__questionnaire=survey).count() == 3 * 14
    assert Tally.objects.get(questionnaire=survey, question_id=0).count == 3


def test_a_real_worker_sends_the_password_reset_link(transactional_db, worker, mayor_a, client):
    from django.core import mail

    response = client.post(reverse("accounts:password_reset"), {"email": "mayor.a@test.local"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []  # the request only enqueued the task

    def reset_link():
        for path in worker["mail_dir"].iterdir():
            match = re.search(r"https?://[^/\s]+(/accedi/nuova-password/\S+/)", path.read_text(encoding="utf-8"))
            if match:
                return match.group(1)
        return None

    link = _wait_for(reset_link, worker, "e-mail per la nuova password")
    assert "send_password_reset" in worker["log"].read_text()
    assert client.get(link, follow=True).context["validlink"] is True
