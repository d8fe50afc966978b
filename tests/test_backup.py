"""Backup and restore (django-dbbackup, ``make backup`` / ``make restore``): back up, wipe, restore, and find the
same rows and the same files, on SQLite and on PostgreSQL (pg_dump / pg_restore).

Each case runs ``manage.py`` in its own processes on a throw-away database and media folder, as an operator would.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from psm_portal.management.commands.mediabackup import Command as MediaBackup
from tests.conftest import skip_or_fail
from tests.processes import ROOT, PostgresServer

MAKE_DATA = """
import json
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from surveys.factories import every_kind_questionnaire

every_kind_questionnaire(slug="citta", title="La città che vogliamo")
UserFactory(email="team@backup.local", full_name="Teresa Team", role=Role.TEAM)
default_storage.save("positions/parere.pdf", ContentFile(b"%PDF-1.4 parere firmato"))
default_storage.save("plan/preliminare.pdf", ContentFile(bytes(range(256)) * 40))
"""

READ_DATA = """
import hashlib, json
from django.core.files.storage import default_storage
from psm_portal.accounts.models import User
from surveys.models import Question, Questionnaire

def files(path=""):
    if not default_storage.exists(path):
        return
    folders, names = default_storage.listdir(path)
    for name in names:
        full = f"{path}/{name}" if path else name
        with default_storage.open(full) as handle:
            yield full, hashlib.sha256(handle.read()).hexdigest()
    for folder in folders:
        yield from files(f"{path}/{folder}" if path else folder)

print("DATA=" + json.dumps({
    "users": sorted(User.objects.values_list("email", "full_name", "role")),
    "questionnaires": sorted(Questionnaire.objects.values_list("slug", "title")),
    "questions": Question.objects.count(),
    "files": sorted(files()),
}))
"""


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "psm_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _read(env: dict[str, str]) -> dict:
    return json.loads(_manage(env, "shell", "-c", READ_DATA).split("DATA=")[1])


def _backup_wipe_restore(env: dict[str, str], wipe) -> None:
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", MAKE_DATA)
    before = _read(env)
    assert before["users"] and before["questions"] > 10 and len(before["files"]) == 2

    # What `make backup` runs.
    _manage(env, "dbbackup", "--compress", "--clean", "--noinput")
    _manage(env, "mediabackup", "--compress", "--clean", "--noinput")
    backups = sorted(p.name for p in Path(env["BACKUP_DIR"]).iterdir())
    assert [name for name in backups if name.endswith(".gz")] == [
        next(name for name in backups if name.startswith("default-psm-") and name.endswith(".gz")),
        next(name for name in backups if name.endswith(".tar.gz")),
    ], backups

    wipe()
    shutil.rmtree(env["MEDIA_ROOT"])
    _manage(env, "migrate", "--noinput")  # an empty portal, as after reinstalling
    empty = _read(env)
    assert empty["users"] == [] and empty["files"] == []

    # What `make restore RESTORE_ARGS=--noinput` runs.
    _manage(env, "dbrestore", "--uncompress", "--noinput")
    _manage(env, "mediarestore", "--uncompress", "--replace", "--noinput")
    assert _read(env) == before


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "AWS_STORAGE_BUCKET_NAME": "",
    }


def test_backup_and_restore_on_sqlite(tmp_path):
    env = _env(tmp_path, "")
    _backup_wipe_restore(env, wipe=lambda: (tmp_path / "var" / "db.sqlite3").unlink())


def test_backup_and_restore_on_postgresql(tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and glob.glob("/usr/lib/postgresql/*/bin/initdb")):
        skip_or_fail("pg_dump, pg_restore o initdb mancanti: il backup su PostgreSQL li richiede (postgresql-client)")
    server = PostgresServer()
    try:
        server.init().start()
        server.createdb("psm")
        env = _env(tmp_path, server.url("psm"))

        def wipe():
            server._as_postgres(str(server.bin / "dropdb"), "-h", "127.0.0.1", "-p", str(server.port), "psm")
            server.createdb("psm")

        _backup_wipe_restore(env, wipe)
    finally:
        server.stop()


def test_the_media_backup_leaves_out_the_backups_in_the_same_bucket(settings, tmp_path):
    storage = FileSystemStorage(location=tmp_path / "bucket")
    for name in ("backups/default-psm-2026.psql.bin.gz", "positions/parere.pdf", "backups-vecchi/nota.txt"):
        storage.save(name, ContentFile(b"x"))
    command = MediaBackup()
    command.media_storage = storage

    settings.BACKUP_MEDIA_SKIP_PREFIX = "backups"
    assert sorted(command._explore_storage()) == ["backups-vecchi/nota.txt", "positions/parere.pdf"]
    settings.BACKUP_MEDIA_SKIP_PREFIX = ""
    assert len(list(command._explore_storage())) == 3
