"""Two confirmations at once: one import runs, the other gets a clear Italian message, never «Errore imprevisto»."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from projects.factories import ProjectFactory
from projects.models import ImportState, Project, ProjectImport
from tests.projects.conftest import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_second_confirmation_of_the_same_import_says_it_is_already_running(
    login, office_a_user, upload, monkeypatch, django_capture_on_commit_callbacks
):
    """The two POSTs both read the batch as «preview»; the other one claims it just before this one does."""
    from projects.services.imports import import_confirm
    from projects.views import imports as views

    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1), good_row(2)]))
    batch = ProjectImport.objects.get()
    real_get = views._get_import
    other_tasks = []

    def read_then_lose_the_race(request, pk):
        seen = real_get(request, pk)  # still «anteprima pronta» for this request
        with django_capture_on_commit_callbacks() as callbacks:
            import_confirm(batch=ProjectImport.objects.get(pk=pk))  # the other click, committed first
        other_tasks.extend(callbacks)
        return seen

    monkeypatch.setattr(views, "_get_import", read_then_lose_the_race)
    with django_capture_on_commit_callbacks() as during_the_request:
        response = client.post(reverse("projects:import_confirm", args=[batch.pk]))
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert _messages(response) == ["L'importazione di questo file è già in corso: segui qui il suo avanzamento."]
    assert len(other_tasks) == 1 and during_the_request == other_tasks  # this request enqueued nothing
    for task in other_tasks:  # the winner's write
        task()
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE and Project.objects.count() == 2


def test_confirming_an_import_already_running_says_so(login, office_a_user, upload, django_capture_on_commit_callbacks):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1)]))
    batch = ProjectImport.objects.get()
    with django_capture_on_commit_callbacks():  # the first confirmation's task has not run yet
        client.post(reverse("projects:import_confirm", args=[batch.pk]))
    response = client.post(reverse("projects:import_confirm", args=[batch.pk]))
    assert _messages(response)[-1] == "L'importazione di questo file è già in corso: segui qui il suo avanzamento."


def test_two_uploads_of_one_file_confirmed_at_once_import_once(
    login, office_a_user, upload, django_capture_on_commit_callbacks
):
    client = login(office_a_user)
    data = csv_bytes([good_row(1), good_row(2)])
    upload(client, data)
    upload(client, data)
    first, second = ProjectImport.objects.order_by("pk")
    with django_capture_on_commit_callbacks() as first_task:
        client.post(reverse("projects:import_confirm", args=[first.pk]))
    with django_capture_on_commit_callbacks() as second_task:
        response = client.post(reverse("projects:import_confirm", args=[second.pk]))
    assert _messages(response)[-1] == (
        "È già in corso un'altra importazione per questo ufficio: attendi che finisca, poi conferma questa."
    )
    assert second_task == []
    second.refresh_from_db()
    assert second.state == ImportState.PREVIEW  # it can be confirmed once the other one has ended
    for task in first_task:
        task()
    first.refresh_from_db()
    assert first.state == ImportState.DONE and Project.objects.count() == 2


def test_projects_written_meanwhile_by_another_import_give_a_clear_message(
    login, office_a_user, office_a, upload, confirm, monkeypatch
):
    """The file is checked again at confirmation, then written: a project with one of its CUPs committed in
    between (another office's import, an edit) makes the write fail on the unique CUP."""
    from projects.services import imports

    client = login(office_a_user)
    upload(client, csv_bytes([good_row(1), good_row(2)]))
    batch = ProjectImport.objects.get()
    real_read = imports.read_import

    def read_then_someone_else_writes(*args, **kwargs):
        preview = real_read(*args, **kwargs)
        ProjectFactory(office=office_a, cup="B33C22000000002", title="Scritto nel frattempo")
        return preview

    monkeypatch.setattr(imports, "read_import", read_then_someone_else_writes)
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED
    message = batch.errors[0]["message"]
    assert "Errore imprevisto" not in message
    assert message == (
        "Mentre il file veniva importato, un'altra importazione o una modifica ha scritto progetti con gli stessi "
        "CUP o codici locali: nessuna riga è stata importata. Carica di nuovo il file per vedere le differenze."
    )
    assert list(Project.objects.values_list("title", flat=True)) == ["Scritto nel frattempo"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_batch", [True, False], ids=["one-upload-twice", "two-uploads-of-one-file"])
def test_two_confirmations_in_two_threads_start_one_import(same_batch, office_a_user, office_a, monkeypatch):
    """Really at once, each with its own database connection (PostgreSQL: SQLite's test database is one file)."""
    import threading

    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from django.db import connection, connections

    from projects.services.imports import import_confirm
    from projects.tasks import apply_import

    if connection.vendor != "postgresql":
        pytest.skip("due connessioni contemporanee: serve PostgreSQL")
    batches = []
    for _ in range(1 if same_batch else 2):
        batch = ProjectImport(office=office_a, uploaded_by=office_a_user, original_name="p.csv", state="preview")
        batch.file.save("p.csv", ContentFile(csv_bytes([good_row(1)])), save=True)
        batches.append(batch)
    targets = batches * 2 if same_batch else batches
    sent, refused = [], []
    monkeypatch.setattr(apply_import, "delay", lambda pk: sent.append(pk))
    barrier = threading.Barrier(2)

    def confirm(batch):
        try:
            barrier.wait(timeout=10)
            import_confirm(batch=ProjectImport.objects.get(pk=batch.pk))
        except ValidationError as error:
            refused.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(batch,)) for batch in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(sent) == 1 and len(refused) == 1
    assert refused[0] == (
        "L'importazione di questo file è già in corso: segui qui il suo avanzamento."
        if same_batch
        else "È già in corso un'altra importazione per questo ufficio: attendi che finisca, poi conferma questa."
    )
    assert ProjectImport.objects.filter(state=ImportState.IMPORTING).count() == 1
