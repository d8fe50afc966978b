"""An import's life: upload, check (the preview), confirmation, writing all rows or none, and the expiry of
previews nobody confirmed; the progress a running task reports through the cache."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.importer import ImportPreview, RowError, read_import
from projects.models import ImportState, ProjectImport
from projects.services.bulk import import_write_rows
from psm_portal.accounts.models import Office
from psm_portal.audit.services import audit_record

logger = logging.getLogger(__name__)


def _progress_key(batch_id: int) -> str:
    return f"projects:import:{batch_id}:processed"


def import_progress(batch: ProjectImport) -> tuple[int, int]:
    """Rows processed so far and rows in all: from the cache while a task runs (the task's transaction
    hides its database writes until the end)."""
    done, total = cache.get(_progress_key(batch.pk)) or (batch.processed_rows, batch.total_rows)
    return done, total


def _reporter(batch: ProjectImport, *, start: float = 0.0, share: float = 1.0) -> Callable[[int, int], None]:
    """A progress callback for one stage of the work: ``share`` of the bar, starting at ``start``."""

    def report(done: int, total: int) -> None:
        if total:
            cache.set(_progress_key(batch.pk), (round(total * (start + share * done / total)), total), timeout=3600)

    return report


def import_upload(*, actor, office: Office, name: str, data: bytes) -> ProjectImport:
    """Store the uploaded file and queue its check (the preview)."""
    from projects.tasks import validate_import  # the tasks import this module: a real cycle

    batch = ProjectImport(office=office, uploaded_by=actor, original_name=name[:255], state=ImportState.VALIDATING)
    batch.file.save(name[-100:] or "progetti", ContentFile(data), save=False)
    batch.save()
    transaction.on_commit(lambda: validate_import.delay(batch.pk))
    return batch


def _read(batch: ProjectImport) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


def _store_preview(batch: ProjectImport, preview: ImportPreview) -> None:
    batch.total_rows = preview.total_rows
    batch.processed_rows = preview.total_rows
    batch.to_create = preview.to_create
    batch.to_update = preview.to_update
    batch.errors = [error.as_dict() for error in preview.errors]
    batch.preview = preview.first_rows()
    batch.notes = preview.notes


def import_validate(*, batch: ProjectImport) -> ProjectImport:
    """Read and check the file; the preview lists rows to create, to update and every error."""
    try:
        preview = read_import(_read(batch), office=batch.office, progress=_reporter(batch))
    except Exception:
        # Whatever breaks, the batch must not stay "in verifica" for ever: the user reads why and uploads again.
        logger.exception("Check of project import %s failed", batch.pk)
        message = _(
            "Il file non si è potuto controllare per un errore imprevisto: caricalo di nuovo o esportalo in CSV."
        )
        preview = ImportPreview(errors=[RowError(0, "", message)])
    _store_preview(batch, preview)
    batch.state = ImportState.PREVIEW if preview.ok else ImportState.INVALID
    batch.save()
    if batch.state == ImportState.INVALID:
        _discard_file(batch)
    cache.delete(_progress_key(batch.pk))
    return batch


def _discard_file(batch: ProjectImport) -> None:
    """Delete the uploaded file of a batch whose final state is saved (offices' spreadsheets are kept only
    until their import ends; deleted first, a task run again would find no file to read)."""
    if not batch.file:
        return
    try:
        batch.file.delete(save=False)
    except Exception:  # a storage that does not answer must not fail the import: the file stays, logged
        logger.exception("Could not delete the file of project import %s", batch.pk)
        return
    ProjectImport.objects.filter(pk=batch.pk).update(file="")


def import_confirm(*, batch: ProjectImport) -> bool:
    """Claim a previewed import for writing (a conditional UPDATE, so a double click imports once)."""
    from projects.tasks import apply_import  # the tasks import this module: a real cycle

    claimed = ProjectImport.objects.filter(pk=batch.pk, state=ImportState.PREVIEW).update(
        state=ImportState.IMPORTING, processed_rows=0
    )
    if claimed:
        transaction.on_commit(lambda: apply_import.delay(batch.pk))
    return bool(claimed)


def import_apply(*, batch: ProjectImport) -> ProjectImport:
    """Check the file again (the catalogue may have changed) and write all its rows, or none."""
    # Writing is all or nothing: the bar covers checking the file again (first half) and writing (second half).
    try:
        preview = read_import(_read(batch), office=batch.office, progress=_reporter(batch, share=0.5))
        if preview.ok:
            import_write(
                preview=preview,
                office=batch.office,
                actor=batch.uploaded_by,
                file_name=batch.original_name,
                audited=batch,
                progress=_reporter(batch, start=0.5, share=0.5),
            )
    except Exception:
        # The user reads the failure on the batch's page; raising would only turn the confirmation into a 500.
        logger.exception("Writing project import %s failed", batch.pk)
        batch.state = ImportState.FAILED
        batch.errors = [
            {
                "row": 0,
                "column": "",
                "message": _("Errore imprevisto durante la scrittura: nessuna riga è stata importata. Riprova."),
            }
        ]
    else:
        _store_preview(batch, preview)
        batch.state = ImportState.DONE if preview.ok else ImportState.FAILED
    batch.finished_at = timezone.now()
    batch.save()
    _discard_file(batch)
    cache.delete(_progress_key(batch.pk))
    return batch


def import_purge_stale(*, days: int = 7) -> int:
    """Expire the previews nobody confirmed within ``days`` days and delete their files; returns how many."""
    now = timezone.now()
    message = _(
        "Anteprima scaduta: il file non è stato confermato entro %(days)s giorni ed è stato cancellato. Caricalo di nuovo."
    ) % {"days": days}
    purged = 0
    stale = ProjectImport.objects.filter(state=ImportState.PREVIEW, created_at__lt=now - timedelta(days=days))
    for batch in stale.only("pk", "file"):
        # Claimed like a confirmation (a conditional UPDATE): a batch confirmed meanwhile keeps its file.
        claimed = ProjectImport.objects.filter(pk=batch.pk, state=ImportState.PREVIEW).update(
            state=ImportState.INVALID, errors=[{"row": 0, "column": "", "message": message}], finished_at=now
        )
        if claimed:
            _discard_file(batch)
            purged += 1
    return purged


def import_write(
    *,
    preview: ImportPreview,
    office: Office,
    actor,
    file_name: str,
    audited: models.Model,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Write a checked preview and record it in the audit log (on ``audited``), all in one transaction;
    returns the projects created and updated. The upload's confirmation and ``manage.py import_projects``."""
    with transaction.atomic():
        created, updated = import_write_rows(
            preview=preview, office=office, actor=actor, note=file_name, progress=progress
        )
        audit_record(
            actor=actor,
            action="projects.import",
            obj=audited,
            after={"created": created, "updated": updated, "file": file_name},
        )
    return created, updated
