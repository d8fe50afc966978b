"""An import whose worker died is handed out again by the sweeper: once, from the start, and it says so."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects.models import ImportState, Project, ProjectImport
from projects.services.imports import RESUME_LIMIT, _reporter, import_apply, imports_resume_stale
from tests.projects.conftest import csv_bytes, good_row

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(hours=1)


@pytest.fixture
def killed_mid_write(login, office_a_user, upload, django_capture_on_commit_callbacks):
    """A confirmed import whose worker took it, reported 100 % of its rows, and died before committing."""
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1), good_row(2), good_row(3)]))
    batch = ProjectImport.objects.get()
    with django_capture_on_commit_callbacks():  # the write task was sent, and the worker that took it died
        client.post(reverse("projects:import_confirm", args=[batch.pk]))
    ProjectImport.objects.filter(pk=batch.pk).update(claim="a" * 32, claimed_at=timezone.now() - LONG_AGO)
    _reporter(batch, start=0.5, share=0.5)(3, 3)  # its last report before dying
    batch.refresh_from_db()
    return client, batch


def _status(client, batch) -> dict:
    return json.loads(client.get(reverse("projects:import_status", args=[batch.pk])).content)


def test_before_the_sweep_a_killed_import_looks_finished_but_stays_in_corso(killed_mid_write):
    client, batch = killed_mid_write
    status = _status(client, batch)
    assert (status["state"], status["percent"], status["resumed"]) == ("importing", 100, False)


def test_a_stale_import_is_resumed_once_and_written_once(killed_mid_write, django_capture_on_commit_callbacks):
    client, batch = killed_mid_write
    with django_capture_on_commit_callbacks() as sent:
        assert imports_resume_stale() == 1
    assert len(sent) == 1
    batch.refresh_from_db()
    assert batch.state == ImportState.IMPORTING and batch.resumes == 1 and batch.resumed_at is not None
    assert batch.claim == "" and batch.claimed_at > timezone.now() - timedelta(minutes=1)
    # The status says it was resumed, and the dead worker's 100 % is gone.
    status = _status(client, batch)
    assert status["label"] == "importazione in corso — lavoro ripreso dopo un'interruzione"
    assert (status["running"], status["resumed"], status["processed"], status["percent"]) == (True, True, 0, 0)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "importazione in corso — lavoro ripreso dopo un&#x27;interruzione" in page
    # A second sweep finds the claim fresh: nothing more is sent.
    with django_capture_on_commit_callbacks() as again:
        assert imports_resume_stale() == 0
    assert again == []
    for task in sent:
        task()
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE and Project.objects.count() == 3
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Il lavoro è stato ripreso dopo un'interruzione" in page
    assert _status(client, batch)["resumed"] is True


def test_two_sweepers_that_saw_the_same_stale_import_resume_it_once(killed_mid_write, monkeypatch):
    """The second sweeper listed the import as stale before the first one resumed it."""
    from projects.services import imports

    client, batch = killed_mid_write
    assert imports_resume_stale() == 1
    monkeypatch.setattr(imports, "_stale_ids", lambda stale: [batch.pk])  # what it read a moment earlier
    assert imports_resume_stale() == 0
    batch.refresh_from_db()
    assert batch.resumes == 1


def test_a_fresh_claim_is_left_alone(killed_mid_write, django_capture_on_commit_callbacks):
    client, batch = killed_mid_write
    ProjectImport.objects.filter(pk=batch.pk).update(claimed_at=timezone.now() - timedelta(seconds=30))
    with django_capture_on_commit_callbacks() as sent:
        assert imports_resume_stale() == 0
    assert sent == []
    batch.refresh_from_db()
    assert batch.resumes == 0 and batch.resumed_at is None and batch.claim == "a" * 32


def test_finished_and_previewed_imports_are_untouched(login, office_a_user, upload, confirm):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1)]))
    done = ProjectImport.objects.get()
    confirm(client, done)
    upload(client, csv_bytes([good_row(2)]))
    preview = ProjectImport.objects.latest("pk")
    ProjectImport.objects.update(claimed_at=timezone.now() - LONG_AGO, created_at=timezone.now() - LONG_AGO)
    assert imports_resume_stale() == 0
    assert [b.state for b in ProjectImport.objects.order_by("pk")] == [ImportState.DONE, ImportState.PREVIEW]
    assert not ProjectImport.objects.filter(resumes__gt=0).exists()
    assert preview.pk != done.pk


def test_a_stale_check_is_resumed_and_gives_its_preview(login, office_a_user, django_capture_on_commit_callbacks):
    client = login(office_a_user)
    data = SimpleUploadedFile("progetti.csv", csv_bytes([good_row(1), good_row(2)]))
    with django_capture_on_commit_callbacks():  # uploaded; the worker that took the check died
        client.post(reverse("projects:import"), {"file": data})
    batch = ProjectImport.objects.get()
    assert batch.state == ImportState.VALIDATING and batch.claimed_at is not None
    ProjectImport.objects.filter(pk=batch.pk).update(claimed_at=timezone.now() - LONG_AGO)
    assert _status(client, batch)["label"] == "in verifica"
    with django_capture_on_commit_callbacks(execute=True):
        assert imports_resume_stale() == 1
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEW and batch.to_create == 2 and batch.resumes == 1


def test_the_old_worker_cannot_finish_an_import_handed_out_again(killed_mid_write, monkeypatch):
    """A worker thought dead comes back to life while the resumed run is on its way: only one of them writes."""
    from projects.services import imports

    client, batch = killed_mid_write
    real_read = imports.read_import

    def read_then_get_resumed(*args, **kwargs):
        preview = real_read(*args, **kwargs)
        ProjectImport.objects.filter(pk=batch.pk).update(claimed_at=timezone.now() - LONG_AGO)
        imports_resume_stale()  # this run looked dead: the sweeper hands the import out again
        return preview

    monkeypatch.setattr(imports, "read_import", read_then_get_resumed)
    assert import_apply(batch_id=batch.pk) is None  # its claim was taken: it writes nothing
    assert not Project.objects.exists()
    monkeypatch.undo()
    assert import_apply(batch_id=batch.pk).state == ImportState.DONE
    assert Project.objects.count() == 3
    assert import_apply(batch_id=batch.pk) is None  # a late duplicate delivery finds it done
    assert Project.objects.count() == 3


def test_an_import_that_keeps_dying_ends_as_failed_with_a_message(killed_mid_write, django_capture_on_commit_callbacks):
    client, batch = killed_mid_write
    name = batch.file.name
    ProjectImport.objects.filter(pk=batch.pk).update(resumes=RESUME_LIMIT)
    with django_capture_on_commit_callbacks(execute=True):
        assert imports_resume_stale() == 1
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED and batch.finished_at is not None
    assert batch.errors[0]["message"].startswith(f"L'importazione si è interrotta {RESUME_LIMIT + 1} volte")
    assert not batch.file and name
    assert not Project.objects.exists()
