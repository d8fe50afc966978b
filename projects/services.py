"""Writes that span models: projects with their funding and history, imports, proposals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.importer import ImportPreview, RowError, chunks, read_import
from projects.models import (
    ChangeKind,
    FundingLine,
    ImportState,
    Origin,
    Project,
    ProjectChange,
    ProjectImport,
    Proposal,
    ProposalState,
    Publication,
    Status,
)
from psm_portal.accounts.models import Office
from psm_portal.audit.services import audit_record

logger = logging.getLogger(__name__)

TRACKED_FIELDS = [
    "title",
    "summary",
    "description",
    "office_id",
    "cup",
    "local_code",
    "whole_area",
    "status",
    "total_cost",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "priority",
    "origin",
    "publication",
]


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def project_snapshot(project: Project, *, municipality_codes=None, funding=None, objective_codes=None) -> dict:
    """The values the history compares, as JSON-friendly values."""
    snapshot = {name: _plain(getattr(project, name)) for name in TRACKED_FIELDS}
    if project.pk:
        if municipality_codes is None:
            municipality_codes = list(project.municipalities.values_list("istat_code", flat=True))
        if funding is None:
            funding = {line.source: line.amount for line in project.funding_lines.all()}
        if objective_codes is None:
            objective_codes = list(project.objectives.values_list("code", flat=True))
    snapshot["municipalities"] = sorted(municipality_codes or [])
    snapshot["funding"] = {source: _plain(amount) for source, amount in sorted((funding or {}).items())}
    snapshot["objectives"] = sorted(objective_codes or [])
    return snapshot


def snapshot_diff(before: dict, after: dict) -> dict:
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def _set_relations(
    project: Project,
    municipality_codes: list[str] | None,
    funding: dict[str, Decimal] | None,
    objectives: list | None = None,
) -> None:
    if municipality_codes is not None:
        project.municipalities.set(municipality_codes)
    if objectives is not None:
        project.objectives.set(objectives)
    if funding is not None:
        project.funding_lines.all().delete()
        FundingLine.objects.bulk_create(
            FundingLine(project=project, source=source, amount=amount) for source, amount in funding.items()
        )


def project_create(
    *,
    actor,
    office: Office,
    fields: dict,
    municipality_codes: list[str],
    funding: dict[str, Decimal],
    objectives: list | None = None,
    origin: str = Origin.PORTFOLIO,
) -> Project:
    """A new draft project of ``office``, with its municipalities, funding lines, specific objectives
    and a history entry."""
    with transaction.atomic():
        project = Project(office=office, origin=origin, **fields)
        project.full_clean(exclude=["municipalities", "objectives"])
        project.save()
        _set_relations(project, municipality_codes, funding, objectives)
        ProjectChange.objects.create(
            project=project, actor=actor, kind=ChangeKind.CREATED, changes=snapshot_diff({}, project_snapshot(project))
        )
    return project


def project_update(
    *,
    actor,
    project: Project,
    fields: dict,
    municipality_codes: list[str] | None,
    funding: dict | None,
    objectives: list | None = None,
) -> ProjectChange | None:
    """Apply the edits and record what changed (nothing recorded when nothing changed);
    ``None`` for a relation keeps it as it is."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = project_snapshot(project)
        for name, value in fields.items():
            setattr(project, name, value)
        project.full_clean(exclude=["municipalities", "objectives"])
        # Compare before writing anything; a relation left as ``None`` keeps its current value.
        after = project_snapshot(
            project,
            municipality_codes=before["municipalities"] if municipality_codes is None else set(municipality_codes),
            funding=before["funding"] if funding is None else _amounts(funding),
            objective_codes=before["objectives"] if objectives is None else _objective_codes(objectives),
        )
        changes = snapshot_diff(before, after)
        if not changes:
            # Nothing changed: write nothing, so updated_at (the catalogue's cache fingerprint) stays put.
            return None
        project.updated_at = timezone.now()
        project.save()
        _set_relations(project, municipality_codes, funding, objectives)
        return ProjectChange.objects.create(project=project, actor=actor, kind=ChangeKind.UPDATED, changes=changes)


def _amounts(funding: dict) -> dict[str, Decimal]:
    return {source: Decimal(str(amount)) for source, amount in funding.items()}


def _objective_codes(objectives: list) -> list[str]:
    """The codes of ``objectives``, given as objectives or as their primary keys."""
    from phases.models import Objective

    codes = {item.code for item in objectives if isinstance(item, Objective)}
    pks = [item for item in objectives if not isinstance(item, Objective)]
    if pks:
        codes.update(Objective.objects.filter(pk__in=pks).values_list("code", flat=True))
    return sorted(codes)


def project_set_publication(*, actor, project: Project, publish: bool) -> Project:
    """Publish or withdraw a project: a formal act, in the history and in the audit log."""
    target = Publication.PUBLISHED if publish else Publication.DRAFT
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.publication == target:
            return project
        before = project.publication
        project.publication = target
        project.published_at = timezone.now() if publish else project.published_at
        project.updated_at = timezone.now()
        project.save(update_fields=["publication", "published_at", "updated_at"])
        ProjectChange.objects.create(
            project=project,
            actor=actor,
            kind=ChangeKind.PUBLISHED if publish else ChangeKind.UNPUBLISHED,
            changes={"publication": [before, target]},
        )
        audit_record(
            actor=actor,
            action="project.publish" if publish else "project.unpublish",
            obj=project,
            before={"publication": before},
            after={"publication": target},
        )
    return project


# --- Import --------------------------------------------------------------------------------------


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
    from projects.tasks import validate_import

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
    from projects.tasks import apply_import

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


PREPARED_FIELDS = (models.DateField, models.DecimalField, models.JSONField)  # DateTimeField is a DateField


def _update_rows(projects: list[Project], field_names: list[str]) -> None:
    """One parametrised UPDATE per project, sent with executemany: ``bulk_update``'s CASE expressions
    grow with the batch and take minutes over 10,000 rows."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = [Project._meta.get_field(name) for name in field_names]
    prepared = [isinstance(f, PREPARED_FIELDS) for f in fields]
    quote = db.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Project._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    params = [
        [
            field.get_db_prep_save(getattr(project, field.attname), db) if prepare else getattr(project, field.attname)
            for field, prepare in zip(fields, prepared, strict=True)
        ]
        + [project.pk]
        for project in projects
    ]
    with db.cursor() as cursor:
        for chunk in chunks(params, 1000):
            _executemany(cursor, sql, chunk)


def _executemany(cursor, sql: str, params: list, *, values: bool = False) -> None:
    """``executemany`` in as few round trips as the database allows: psycopg2 otherwise sends one
    statement per row (50,000 round trips for a 10,000-row import)."""
    if connection.vendor != "postgresql":
        cursor.executemany(sql, params)
        return
    from psycopg2.extras import execute_batch, execute_values

    if values:  # "INSERT ... VALUES (%s, %s)" becomes one multi-row INSERT per page
        head, _sep, _tail = sql.rpartition(" VALUES ")
        execute_values(cursor.cursor, head + " VALUES %s", params, page_size=1000)
    else:
        execute_batch(cursor.cursor, sql, params, page_size=500)


def _insert_rows(model, field_names: list[str], rows) -> None:
    """Plain INSERTs sent with executemany, for the tens of thousands of link, funding and history rows
    of a large import (the ORM's per-value overhead dominates there)."""
    db = connections[DEFAULT_DB_ALIAS]  # not the ``connection`` proxy: one lookup, not one per value
    fields = [model._meta.get_field(name) for name in field_names]
    # Only these types need the database adaptation (time zones, JSON, decimals); text and ids pass as they are.
    prepared = [isinstance(f, PREPARED_FIELDS) for f in fields]
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                [
                    field.get_db_prep_save(value, db) if prepare else value
                    for field, prepare, value in zip(fields, prepared, row, strict=True)
                ]
            )
            if len(batch) == 2000:
                _executemany(cursor, sql, batch, values=True)
                batch = []
        if batch:
            _executemany(cursor, sql, batch, values=True)


def _insert_projects(projects: list[Project], office: Office) -> None:
    """Insert new projects with plain INSERTs, then read their ids back by CUP, else by the office's local code
    (a checked preview gives every row one of the two, unique)."""
    if not projects:
        return
    fields = [f for f in Project._meta.concrete_fields if not f.primary_key]
    _insert_rows(Project, [f.name for f in fields], ([getattr(p, f.attname) for f in fields] for p in projects))
    by_cup: dict[str, int] = {}
    by_code: dict[str, int] = {}
    cups = [p.cup for p in projects if p.cup]
    codes = [p.local_code for p in projects if not p.cup]
    for chunk in chunks(cups):
        by_cup.update(Project.objects.filter(cup__in=chunk).values_list("cup", "pk"))
    for chunk in chunks(codes):
        by_code.update(Project.objects.filter(office=office, local_code__in=chunk).values_list("local_code", "pk"))
    for project in projects:
        project.pk = by_cup[project.cup] if project.cup else by_code[project.local_code]
        project._state.adding = False


def import_write_rows(
    *, preview: ImportPreview, office: Office, actor, note: str = "", progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Write a checked preview in bulk: creates, updates, municipalities, funding lines, objectives, history.
    Call in a transaction."""
    now = timezone.now()
    through = Project.municipalities.through
    objective_through = Project.objectives.through
    creates = [row for row in preview.rows if row.action == "create"]
    updates = [row for row in preview.rows if row.action == "update"]
    new_projects = [
        Project(office=office, origin=Origin.PORTFOLIO, created_at=now, updated_at=now, **row.fields) for row in creates
    ]
    _insert_projects(new_projects, office)
    if progress:
        progress(len(creates), len(preview.rows))

    existing = {}
    ids = [row.project_id for row in updates]
    for chunk in chunks(ids):
        existing.update(Project.objects.in_bulk(chunk))
    old_codes: dict[int, list[str]] = {pk: [] for pk in ids}
    old_funding: dict[int, dict] = {pk: {} for pk in ids}
    old_objectives: dict[int, list[str]] = {pk: [] for pk in ids}
    for chunk in chunks(ids):
        for pk, code in through.objects.filter(project_id__in=chunk).values_list("project_id", "municipality_id"):
            old_codes[pk].append(code)
        for pk, code in objective_through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "objective__code"
        ):
            old_objectives[pk].append(code)
        for line in FundingLine.objects.filter(project_id__in=chunk):
            old_funding[line.project_id][line.source] = line.amount
    actor_id = getattr(actor, "pk", None)
    changes: list[tuple[Project, dict]] = []  # history rows, inserted in bulk at the end
    changed_fields: set[str] = {"updated_at"}
    for row in updates:
        project = existing[row.project_id]
        before = project_snapshot(
            project,
            municipality_codes=old_codes[project.pk],
            funding=old_funding[project.pk],
            objective_codes=old_objectives[project.pk],
        )
        for name, value in row.fields.items():
            setattr(project, name, value)
            changed_fields.add(name)
        project.updated_at = now
        after = project_snapshot(
            project,
            municipality_codes=row.municipality_codes if row.municipality_codes is not None else old_codes[project.pk],
            funding=row.funding if row.funding is not None else old_funding[project.pk],
            objective_codes=[o.code for o in row.objectives]
            if row.objectives is not None
            else old_objectives[project.pk],
        )
        diff = snapshot_diff(before, after)
        if diff:
            changes.append((project, diff))
    if updates:
        _update_rows([existing[row.project_id] for row in updates], sorted(changed_fields))
    for project, row in zip(new_projects, creates, strict=True):
        snapshot = project_snapshot(
            project,
            municipality_codes=row.municipality_codes or [],
            funding=row.funding or {},
            objective_codes=[o.code for o in row.objectives or []],
        )
        changes.append((project, snapshot_diff({}, snapshot)))

    # Relations: replace them for the rows whose file gives them.
    pairs = [(project, row) for project, row in zip(new_projects, creates, strict=True)]
    pairs += [(existing[row.project_id], row) for row in updates]
    replace_codes = [
        project.pk for project, row in pairs if row.municipality_codes is not None and row.action == "update"
    ]
    replace_funding = [project.pk for project, row in pairs if row.funding is not None and row.action == "update"]
    replace_objectives = [project.pk for project, row in pairs if row.objectives is not None and row.action == "update"]
    for chunk in chunks(replace_codes):
        through.objects.filter(project_id__in=chunk).delete()
    for chunk in chunks(replace_objectives):
        objective_through.objects.filter(project_id__in=chunk).delete()
    for chunk in chunks(replace_funding):
        FundingLine.objects.filter(project_id__in=chunk).delete()
    _insert_rows(
        through,
        ["project", "municipality"],
        ((project.pk, code) for project, row in pairs for code in (row.municipality_codes or [])),
    )
    _insert_rows(
        objective_through,
        ["project", "objective"],
        ((project.pk, objective.pk) for project, row in pairs for objective in (row.objectives or [])),
    )
    _insert_rows(
        FundingLine,
        ["project", "source", "amount"],
        ((project.pk, source, amount) for project, row in pairs for source, amount in (row.funding or {}).items()),
    )
    _insert_rows(
        ProjectChange,
        ["project", "actor", "at", "kind", "changes", "note"],
        ((project.pk, actor_id, now, ChangeKind.IMPORTED, diff, note[:300]) for project, diff in changes),
    )
    if progress:
        progress(len(preview.rows), len(preview.rows))
    return len(creates), len(updates)


# --- Proposals -----------------------------------------------------------------------------------


def proposal_submit(*, proposer, title: str, description: str, municipality=None, estimated_cost=None) -> Proposal:
    """A mayor proposes for their own municipality; a stakeholder for the area (or one municipality)."""
    if proposer.is_mayor:
        municipality = proposer.municipality
    return Proposal.objects.create(
        proposer=proposer,
        title=title,
        description=description,
        municipality=municipality,
        estimated_cost=estimated_cost,
    )


def _close(proposal: Proposal, *, actor, state: str, reason: str = "", project: Project | None = None) -> Proposal:
    proposal.state = state
    proposal.reason = reason
    proposal.project = project
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    audit_record(
        actor=actor, action=f"proposal.{state}", obj=proposal, before={"state": "submitted"}, after={"state": state}
    )
    return proposal


def _claim(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise ValueError(_("La proposta è già stata decisa."))
    return proposal


def proposal_accept(*, actor, proposal: Proposal, office: Office, reason: str = "") -> Project:
    """The proposal becomes a draft project (an idea) of ``office``, linked back to the proposal."""
    with transaction.atomic():
        proposal = _claim(proposal)
        project = project_create(
            actor=actor,
            office=office,
            fields={
                "title": proposal.title[:300],
                "summary": proposal.description[:1000],
                "description": proposal.description,
                "status": Status.IDEA,
                "total_cost": proposal.estimated_cost,
                "whole_area": proposal.municipality_id is None,
            },
            municipality_codes=[proposal.municipality_id] if proposal.municipality_id else [],
            funding={},
            origin=Origin.PROPOSAL,
        )
        _close(proposal, actor=actor, state=ProposalState.ACCEPTED, reason=reason, project=project)
    return project


def proposal_merge(*, actor, proposal: Proposal, project: Project, reason: str = "") -> Proposal:
    """The proposal joins an existing project: it is recorded in the project's history."""
    with transaction.atomic():
        proposal = _claim(proposal)
        if proposal.municipality_id:
            project.municipalities.add(proposal.municipality_id)
        Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
        ProjectChange.objects.create(
            project=project,
            actor=actor,
            kind=ChangeKind.MERGED,
            changes={"proposal": [None, proposal.title]},
            note=_("Unita la proposta «%(title)s»") % {"title": proposal.title[:200]},
        )
        return _close(proposal, actor=actor, state=ProposalState.MERGED, reason=reason, project=project)


def proposal_decline(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Declined with a reason that the proposer reads."""
    if not reason.strip():
        raise ValueError(_("Scrivi la motivazione: il proponente la leggerà."))
    with transaction.atomic():
        proposal = _claim(proposal)
        return _close(proposal, actor=actor, state=ProposalState.DECLINED, reason=reason.strip())
