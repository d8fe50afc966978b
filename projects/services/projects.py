"""Writes of one project: creating it, editing it, publishing or withdrawing it, each with its history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.models import Objective
from projects.models import ChangeKind, FundingLine, Origin, Project, ProjectChange, Publication
from psm_portal.accounts.models import Office
from psm_portal.audit.services import audit_record

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
    codes = {item.code for item in objectives if isinstance(item, Objective)}
    pks = [item for item in objectives if not isinstance(item, Objective)]
    if pks:
        codes.update(Objective.objects.filter(pk__in=pks).values_list("code", flat=True))
    return sorted(codes)


# How many projects one act publishes at most: a page of the list, with room to spare.
PUBLISH_MANY_LIMIT = 200


def projects_publish_many(*, actor, projects: list[Project]) -> list[Project]:
    """Publish several drafts in one transaction, each as ``project_set_publication`` does (history and audit log);
    returns those that were drafts. The caller has scoped ``projects`` to what ``actor`` may edit."""
    if not projects:
        raise ValidationError(_("Scegli almeno un progetto da pubblicare."))
    if len(projects) > PUBLISH_MANY_LIMIT:
        raise ValidationError(_("Si pubblicano al massimo %(max)s progetti alla volta.") % {"max": PUBLISH_MANY_LIMIT})
    published = []
    with transaction.atomic():
        for project in projects:
            if project.publication != Publication.PUBLISHED:
                published.append(project_set_publication(actor=actor, project=project, publish=True))
    return published


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
