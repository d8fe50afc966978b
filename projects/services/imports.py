"""An import's life: upload, check (the preview), confirmation, writing all rows or none, and the expiry of
previews nobody confirmed; the progress a running task reports through the cache; the sweep that hands out
again an import whose worker died.

A running import (checked or written) is *claimed* by the worker that takes it: a fresh token and the time,
written by a conditional UPDATE. Only the holder of the latest claim stores its result, so a second delivery of
the task, or a resumption while an old worker still runs, never writes the rows twice."""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.importer import ImportPreview, RowError, read_import
from projects.models import ImportState, ProjectImport
from projects.services.bulk import import_write_rows
from psm_portal.accounts.models import Office
from psm_portal.audit.services import audit_record

logger = logging.getLogger(__name__)

RUNNING = (ImportState.VALIDATING, ImportState.IMPORTING)
# Test hook: seconds to sleep after each progress report (one lands inside the write's transaction), so a fault
# test can kill a worker mid-import.
STEP_DELAY_ENV = "PROJECTS_IMPORT_STEP_DELAY"
# Resumptions after which an import that keeps losing its worker (killed for memory, say) ends as failed.
RESUME_LIMIT = 3


def _progress_key(batch_id: int) -> str:
    return f"projects:import:{batch_id}:processed"


def import_progress(batch: ProjectImport) -> tuple[int, int]:
    """Rows processed so far and rows in all: from the cache while a task runs (the task's transaction
    hides its database writes until the end)."""
    done, total = cache.get(_progress_key(batch.pk)) or (batch.processed_rows, batch.total_rows)
    return done, total


def _reporter(batch: ProjectImport, *, start: float = 0.0, share: float = 1.0) -> Callable[[int, int], None]:
    """A progress callback for one stage of the work: ``share`` of the bar, starting at ``start``."""
    delay = float(os.environ.get(STEP_DELAY_ENV) or 0)

    def report(done: int, total: int) -> None:
        if total:
            cache.set(_progress_key(batch.pk), (round(total * (start + share * done / total)), total), timeout=3600)
        if delay:
            time.sleep(delay)

    return report


def import_upload(*, actor, office: Office, name: str, data: bytes) -> ProjectImport:
    """Store the uploaded file and queue its check (the preview)."""
    from projects.tasks import validate_import  # the tasks import this module: a real cycle

    batch = ProjectImport(office=office, uploaded_by=actor, original_name=name[:255], state=ImportState.VALIDATING)
    batch.claimed_at = batch.created_at
    batch.file.save(name[-100:] or "progetti", ContentFile(data), save=False)
    batch.save()
    transaction.on_commit(lambda: validate_import.delay(batch.pk))
    return batch


def _read(batch: ProjectImport) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


def _preview_fields(preview: ImportPreview) -> dict:
    return {
        "total_rows": preview.total_rows,
        "processed_rows": preview.total_rows,
        "to_create": preview.to_create,
        "to_update": preview.to_update,
        "errors": [error.as_dict() for error in preview.errors],
        "preview": preview.first_rows(),
        "notes": preview.notes,
    }


def _claim(batch_id: int, state: str) -> str | None:
    """Take a running import for this worker; returns the claim's token, or None when it is not running."""
    token = uuid.uuid4().hex
    claimed = ProjectImport.objects.filter(pk=batch_id, state=state).update(claim=token, claimed_at=timezone.now())
    return token if claimed else None


def _too_long(limit: int) -> str:
    return _(
        "Il lavoro ha superato il tempo massimo di %(minutes)s minuti ed è stato fermato: nessuna riga è stata "
        "importata. Dividi il file in parti più piccole e caricale una alla volta."
    ) % {"minutes": max(1, round(limit / 60))}


def import_validate(*, batch_id: int) -> ProjectImport | None:
    """Read and check the file; the preview lists rows to create, to update and every error. Safe to run
    twice: only the latest claim's holder stores its preview."""
    token = _claim(batch_id, ImportState.VALIDATING)
    if token is None:
        return None
    batch = ProjectImport.objects.select_related("office").get(pk=batch_id)
    try:
        preview = read_import(_read(batch), office=batch.office, progress=_reporter(batch))
    except SoftTimeLimitExceeded:
        preview = ImportPreview(errors=[RowError(0, "", _too_long(settings.PROJECTS_IMPORT_TIME_LIMIT))])
    except Exception:
        # Whatever breaks, the batch must not stay "in verifica" for ever: the user reads why and uploads again.
        logger.exception("Check of project import %s failed", batch_id)
        message = _(
            "Il file non si è potuto controllare per un errore imprevisto: caricalo di nuovo o esportalo in CSV."
        )
        preview = ImportPreview(errors=[RowError(0, "", message)])
    state = ImportState.PREVIEW if preview.ok else ImportState.INVALID
    stored = ProjectImport.objects.filter(pk=batch_id, state=ImportState.VALIDATING, claim=token).update(
        state=state, claim="", **_preview_fields(preview)
    )
    if not stored:
        logger.info("Project import %s: its check was taken over by another worker", batch_id)
        return None
    batch.refresh_from_db()
    if batch.state == ImportState.INVALID:
        _discard_file(batch)
    cache.delete(_progress_key(batch_id))
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


def import_confirm(*, batch: ProjectImport) -> None:
    """Claim a previewed import for writing and queue the write. One import of an office runs at a time (the
    office's row is locked while the claim is taken), so a double click, or two uploads of one file confirmed
    together, import once; the other confirmation raises ValidationError with the reason."""
    from projects.tasks import apply_import  # the tasks import this module: a real cycle

    with transaction.atomic():
        list(Office.objects.select_for_update().filter(pk=batch.office_id).values_list("pk", flat=True))
        state = ProjectImport.objects.filter(pk=batch.pk).values_list("state", flat=True).first()
        if state == ImportState.IMPORTING:
            raise ValidationError(_("L'importazione di questo file è già in corso: segui qui il suo avanzamento."))
        if state != ImportState.PREVIEW:
            raise ValidationError(_("Questo file non si può più importare: caricalo di nuovo."))
        if ProjectImport.objects.filter(office_id=batch.office_id, state=ImportState.IMPORTING).exists():
            raise ValidationError(
                _("È già in corso un'altra importazione per questo ufficio: attendi che finisca, poi conferma questa.")
            )
        ProjectImport.objects.filter(pk=batch.pk, state=ImportState.PREVIEW).update(
            state=ImportState.IMPORTING, processed_rows=0, claim="", claimed_at=timezone.now()
        )
        transaction.on_commit(lambda: apply_import.delay(batch.pk))


def _end_failed(batch_id: int, token: str, message: str) -> bool:
    """End the claimed import as failed, with the message the user reads on its page."""
    return bool(
        ProjectImport.objects.filter(pk=batch_id, state=ImportState.IMPORTING, claim=token).update(
            state=ImportState.FAILED,
            claim="",
            errors=[{"row": 0, "column": "", "message": message}],
            finished_at=timezone.now(),
        )
    )


def import_apply(*, batch_id: int) -> ProjectImport | None:
    """Check the file again (the catalogue may have changed) and write all its rows, or none. Safe to run
    twice: the batch stays locked while its rows are written, by the latest claim's holder only."""
    token = _claim(batch_id, ImportState.IMPORTING)
    if token is None:
        return None
    batch = ProjectImport.objects.select_related("office", "uploaded_by").get(pk=batch_id)
    # Writing is all or nothing: the bar covers checking the file again (first half) and writing (second half).
    try:
        preview = read_import(_read(batch), office=batch.office, progress=_reporter(batch, share=0.5))
        with transaction.atomic():
            mine = ProjectImport.objects.select_for_update().filter(
                pk=batch_id, state=ImportState.IMPORTING, claim=token
            )
            if not list(mine.values_list("pk", flat=True)):
                logger.info("Project import %s: its write was taken over by another worker", batch_id)
                return None
            if preview.ok:
                import_write(
                    preview=preview,
                    office=batch.office,
                    actor=batch.uploaded_by,
                    file_name=batch.original_name,
                    audited=batch,
                    progress=_reporter(batch, start=0.5, share=0.5),
                )
            ProjectImport.objects.filter(pk=batch_id).update(
                state=ImportState.DONE if preview.ok else ImportState.FAILED,
                claim="",
                finished_at=timezone.now(),
                **_preview_fields(preview),
            )
    except IntegrityError:
        # Rows with the same CUP or local code were committed between the check and the write.
        logger.warning("Project import %s: the catalogue changed while it was written", batch_id, exc_info=True)
        ended = _end_failed(
            batch_id,
            token,
            _(
                "Mentre il file veniva importato, un'altra importazione o una modifica ha scritto progetti con gli "
                "stessi CUP o codici locali: nessuna riga è stata importata. Carica di nuovo il file per vedere le "
                "differenze."
            ),
        )
    except SoftTimeLimitExceeded:
        ended = _end_failed(batch_id, token, _too_long(settings.PROJECTS_IMPORT_TIME_LIMIT))
    except Exception:
        # The user reads the failure on the batch's page; raising would only turn the confirmation into a 500.
        logger.exception("Writing project import %s failed", batch_id)
        ended = _end_failed(
            batch_id, token, _("Errore imprevisto durante la scrittura: nessuna riga è stata importata. Riprova.")
        )
    else:
        ended = True
    if not ended:
        return None
    batch.refresh_from_db()
    _discard_file(batch)
    cache.delete(_progress_key(batch_id))
    return batch


def imports_resume_stale(*, now=None) -> int:
    """Hand out again every import whose worker stopped (its claim older than PROJECTS_IMPORT_STALE_SECONDS):
    recorded as resumed, then checked or written again from the start by the next worker; one resumed
    ``RESUME_LIMIT`` times ends as failed instead. Safe with two sweepers at once; returns how many it handled."""
    from projects.tasks import apply_import, validate_import  # the tasks import this module: a real cycle

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PROJECTS_IMPORT_STALE_SECONDS)
    stale = ProjectImport.objects.filter(state__in=RUNNING, claimed_at__lt=cutoff)
    handled = 0
    for pk in _stale_ids(stale):
        with transaction.atomic():
            # Locked and checked again: a live writer holds its batch locked (skipped, not waited for), and a
            # second sweeper finds the claim renewed by the first.
            batch = (
                stale.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .only("pk", "state", "resumes", "file", "office_id")
                .first()
            )
            if batch is None:
                continue
            if batch.resumes >= RESUME_LIMIT:
                _give_up(batch, now)
            else:
                ProjectImport.objects.filter(pk=pk).update(
                    claim="", claimed_at=now, processed_rows=0, resumed_at=now, resumes=F("resumes") + 1
                )
                logger.warning("Project import %s (%s): its worker stopped; handed out again", pk, batch.state)
                task = validate_import if batch.state == ImportState.VALIDATING else apply_import
                transaction.on_commit(_sender(task, pk), robust=True)
            cache.delete(_progress_key(pk))  # the dead worker's last figure: the bar starts again from 0
            handled += 1
    return handled


def _stale_ids(stale: models.QuerySet) -> list[int]:
    return list(stale.values_list("pk", flat=True))


def _sender(task, batch_id: int) -> Callable[[], None]:
    def send() -> None:
        try:
            task.delay(batch_id)
        except Exception:  # the broker is down: the claim ages again and the next sweep tries once more
            logger.exception("Project import %s: could not be handed out again", batch_id)

    return send


def _give_up(batch: ProjectImport, now) -> None:
    """End an import that lost its worker ``RESUME_LIMIT`` times: it would most likely stop again."""
    logger.error("Project import %s stopped %s times: given up", batch.pk, batch.resumes + 1)
    times = {"n": batch.resumes + 1}
    if batch.state == ImportState.VALIDATING:
        state = ImportState.INVALID
        message = (
            _(
                "Il controllo del file si è interrotto %(n)s volte senza finire: caricalo di nuovo, magari diviso in "
                "parti più piccole."
            )
            % times
        )
    else:
        state = ImportState.FAILED
        message = (
            _(
                "L'importazione si è interrotta %(n)s volte senza finire: nessuna riga è stata importata. Carica di "
                "nuovo il file, magari diviso in parti più piccole."
            )
            % times
        )
    ProjectImport.objects.filter(pk=batch.pk).update(
        state=state, claim="", errors=[{"row": 0, "column": "", "message": message}], finished_at=now
    )
    transaction.on_commit(lambda: _discard_file(batch))


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
