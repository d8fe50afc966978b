"""Uploaded spreadsheets are kept only while an import needs them: deleted when it ends, or when its
preview is left unconfirmed (``manage.py purge_imports``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from projects.models import ImportState, ProjectImport, import_upload_path
from tests.projects.conftest import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def stored(batch: ProjectImport, name: str) -> bool:
    batch.refresh_from_db()
    return bool(batch.file) and default_storage.exists(name)


def test_an_invalid_file_is_deleted_after_the_check(login, office_a_user, upload):
    name = f"errati-{uuid.uuid4().hex}.csv"
    upload(login(office_a_user), csv_bytes([good_row(1, cup="nope")]), name=name)
    batch = ProjectImport.objects.get()
    assert batch.state == ImportState.INVALID and batch.file.name == ""
    assert not default_storage.exists(import_upload_path(batch, name))


def test_a_preview_keeps_its_file_and_the_import_deletes_it(login, office_a_user, upload, confirm):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1)]))
    batch = ProjectImport.objects.get()
    name = batch.file.name
    assert batch.state == ImportState.PREVIEW and stored(batch, name)
    confirm(client, batch)
    assert not stored(batch, name) and batch.file.name == ""
    assert batch.state == ImportState.DONE


def test_a_failed_import_deletes_its_file(login, office_a_user, office_b, upload, confirm):
    from projects.factories import ProjectFactory

    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1)]))
    batch = ProjectImport.objects.get()
    name = batch.file.name
    ProjectFactory(office=office_b, cup="B33C22000000001")  # the check at confirmation fails
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED and not stored(batch, name)


def test_purge_expires_old_previews_only(login, office_a_user, upload, capsys):
    client = login(office_a_user)
    for _ in range(2):
        upload(client, csv_bytes([good_row(1)]))
    old, recent = ProjectImport.objects.order_by("pk")
    old_name, recent_name = old.file.name, recent.file.name
    ProjectImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    call_command("purge_imports")
    assert "Anteprime scadute: 1." in capsys.readouterr().out
    old.refresh_from_db()
    assert old.state == ImportState.INVALID and "Anteprima scaduta" in old.errors[0]["message"]
    assert not stored(old, old_name) and old.file.name == ""
    recent.refresh_from_db()
    assert recent.state == ImportState.PREVIEW and stored(recent, recent_name)


def test_purge_refuses_a_limit_below_one_day():
    with pytest.raises(CommandError) as error:
        call_command("purge_imports", days=0)
    assert error.value.returncode == 1
