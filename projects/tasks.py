"""Celery tasks for imports: thin, take an id, call a service; safe to run twice."""

from __future__ import annotations

from celery import shared_task

from projects.models import ImportState, ProjectImport
from projects.services.imports import import_apply, import_validate


@shared_task(acks_late=True)
def validate_import(batch_id: int) -> None:
    """Check an uploaded file and store its preview."""
    batch = ProjectImport.objects.filter(pk=batch_id, state=ImportState.VALIDATING).first()
    if batch is not None:
        import_validate(batch=batch)


@shared_task(acks_late=True)
def apply_import(batch_id: int) -> None:
    """Write a confirmed import (claimed by ``import_confirm``), all rows or none."""
    batch = ProjectImport.objects.filter(pk=batch_id, state=ImportState.IMPORTING).first()
    if batch is not None:
        import_apply(batch=batch)
