"""Settings come from the environment: each case runs in a fresh interpreter with only the variables it names."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from psm_portal.celery import app as celery_app
from psm_portal.lib.env import envbool, envint, envlist, envstr

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def _settings_of(env: dict[str, str], tmp_path: Path, expression: str):
    code = (
        "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'psm_portal.settings'); "
        "django.setup(); from django.conf import settings; from psm_portal.celery import app; "
        f"print(json.dumps({expression}, default=str))"
    )
    result = _run(["-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _production_env() -> dict[str, str]:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "psm.cittametropolitana.me.it"}


def test_without_secret_key_production_refuses_to_start(tmp_path):
    result = _run(["manage.py", "check"], {"DEBUG": "0"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY non impostata: con DEBUG spento serve una chiave segreta" in result.stderr


def test_check_deploy_has_no_warning_with_the_documented_variables(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_no_environment_means_sqlite_under_var_eager_tasks_console_mail(tmp_path):
    values = _settings_of(
        {},
        tmp_path,
        "[settings.DATABASES['default']['ENGINE'], str(settings.DATABASES['default']['NAME']), "
        "app.conf.task_always_eager, settings.EMAIL_BACKEND, settings.DEBUG, settings.STORAGES['default']['BACKEND']]",
    )
    engine, name, eager, email, debug, storage = values
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "var" / "db.sqlite3")
    assert eager is True
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert debug is True
    assert storage == "django.core.files.storage.FileSystemStorage"


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker(tmp_path):
    env = {"DATABASE_URL": "postgres://psm:segreta@db.example:5432/psm", "REDIS_URL": "redis://cache.example:6379/3"}
    engine, name, host, eager, broker, cache = _settings_of(
        env,
        tmp_path,
        "[settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'], "
        "settings.DATABASES['default']['HOST'], app.conf.task_always_eager, app.conf.broker_url, "
        "settings.CACHES['default']['BACKEND']]",
    )
    assert engine == "django.db.backends.postgresql"
    assert (name, host) == ("psm", "db.example")
    assert eager is False
    assert broker == "redis://cache.example:6379/3"
    assert cache == "psm_portal.lib.cache.RedisCache"


def test_a_bucket_switches_uploads_to_s3(tmp_path):
    backend, bucket = _settings_of(
        {"AWS_STORAGE_BUCKET_NAME": "psm-media", "AWS_S3_ENDPOINT_URL": "https://s3.example"},
        tmp_path,
        "[settings.STORAGES['default']['BACKEND'], settings.STORAGES['default']['OPTIONS']['bucket_name']]",
    )
    assert backend == "storages.backends.s3.S3Storage" and bucket == "psm-media"


def test_production_hardening(tmp_path):
    values = _settings_of(
        _production_env(),
        tmp_path,
        "[settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS, settings.ALLOWED_HOSTS]",
    )
    assert values == [True, True, True, 31536000, ["psm.cittametropolitana.me.it"]]


def test_celery_is_configured_for_reliable_delivery():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE


def test_tasks_are_registered():
    celery_app.loader.import_default_modules()
    assert "psm_portal.accounts.tasks.send_invitation" in celery_app.tasks


def test_a_queue_name_can_be_chosen(tmp_path):
    assert _settings_of({"CELERY_QUEUE": "psm-prova"}, tmp_path, "app.conf.task_default_queue") == "psm-prova"


def test_core_settings():
    assert settings.LANGUAGE_CODE == "it"
    assert [code for code, _ in settings.LANGUAGES] == ["it", "en"]
    assert settings.TIME_ZONE == "Europe/Rome"
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    for app in ("phases", "municipalities", "surveys", "projects"):
        assert app in settings.INSTALLED_APPS


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("on", True), ("0", False), ("no", False), ("", None)]
)
def test_envbool(monkeypatch, value, expected):
    monkeypatch.setenv("PSM_TEST_FLAG", value)
    assert envbool("PSM_TEST_FLAG", None) is expected


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("PSM_TEST_INT", "42")
    monkeypatch.setenv("PSM_TEST_LIST", " a.example, b.example ,,")
    monkeypatch.delenv("PSM_TEST_MISSING", raising=False)
    assert envint("PSM_TEST_INT", 1) == 42
    assert envint("PSM_TEST_MISSING", 7) == 7
    assert envlist("PSM_TEST_LIST", []) == ["a.example", "b.example"]
    assert envstr("PSM_TEST_MISSING", "predefinito") == "predefinito"


def test_postgresql_connections_are_checked_before_reuse_and_give_up_quickly(tmp_path):
    """After a database restart the kept connections are replaced, and an unreachable server is a quick 503."""
    env = {"DATABASE_URL": "postgres://psm:segreta@db.example:5432/psm"}
    checks, timeout = _settings_of(
        env,
        tmp_path,
        "[settings.DATABASES['default']['CONN_HEALTH_CHECKS'], settings.DATABASES['default']['OPTIONS']['connect_timeout']]",
    )
    assert checks is True
    assert 0 < timeout <= 10


def test_with_redis_the_broker_uses_the_portal_transport_and_retries_for_ever(tmp_path):
    """The transport that keeps the worker alive through a Redis outage (psm_portal/lib/broker.py)."""
    transport, retries, eager_transport = _settings_of(
        {"REDIS_URL": "redis://cache.example:6379/3"},
        tmp_path,
        "[app.conf.broker_transport, app.conf.broker_connection_max_retries, None]",
    )
    assert transport == "psm_portal.lib.broker:Transport"
    assert retries is None
    # Without Redis the tasks run in-process on the memory transport.
    assert _settings_of({}, tmp_path, "app.conf.broker_transport") is None


def test_backups_go_to_a_local_folder_or_to_the_bucket(tmp_path):
    local = _settings_of({"BACKUP_DIR": str(tmp_path / "b")}, tmp_path, "settings.STORAGES['dbbackup']")
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["OPTIONS"]["location"] == str(tmp_path / "b")

    bucket = {"AWS_STORAGE_BUCKET_NAME": "psm-media", "AWS_S3_ENDPOINT_URL": "https://s3.example"}
    storage, skip = _settings_of(bucket, tmp_path, "[settings.STORAGES['dbbackup'], settings.BACKUP_MEDIA_SKIP_PREFIX]")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (storage["OPTIONS"]["bucket_name"], storage["OPTIONS"]["location"]) == ("psm-media", "backups")
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example"
    assert skip == "backups"  # the media backup must not contain the earlier backups

    other = {**bucket, "BACKUP_BUCKET_NAME": "psm-backups"}
    storage, skip = _settings_of(other, tmp_path, "[settings.STORAGES['dbbackup'], settings.BACKUP_MEDIA_SKIP_PREFIX]")
    assert (storage["OPTIONS"]["bucket_name"], skip) == ("psm-backups", "")
