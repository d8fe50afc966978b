"""Writing a checked import in bulk: plain INSERTs and UPDATEs sent with executemany, because the ORM's
per-row work takes minutes over 10,000 rows; the history compares the same snapshots as an edit does."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone
from psycopg2.extras import execute_batch, execute_values

from projects.importer import ImportPreview, chunks
from projects.models import ChangeKind, FundingLine, Origin, Project, ProjectChange
from projects.services.projects import project_snapshot, snapshot_diff
from psm_portal.accounts.models import Office

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
    # psycopg2's own cursor: its errors are turned into Django's (IntegrityError...) as the ORM's would be.
    with cursor.db.wrap_database_errors:
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
