"""An approved amendment changes the plan's data through the portal's own services, with «Emendamento n. N» as the
reason in the audit log.

- a project's amount or year: ``projects.services.projects.project_update`` (the year moves the planned start
  and, by as many years, the planned end);
- adding a portfolio project to the plan or taking one out: ``project_set_publication`` (the plan's projects are
  the published ones);
- an agenda action: ``projects.services.agenda.amend_action`` (new description and/or budget);
- a section of the text: the plan's sections are built from the process's data (the adopted Vision, the
  objectives, the projects, the results) and keep no text of their own, so the approved text is kept as an
  addendum of that section (``Amendment.objects.addenda()``), shown with the section.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plan.models import Amendment, AmendmentTarget
from projects.services.agenda import amend_action
from projects.services.projects import project_set_publication, project_update
from psm_portal.audit.services import audit_record


def _moved(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _project_year_fields(project, year: int) -> dict:
    start = project.planned_start
    if start is None:
        return {"planned_start": date(year, 1, 1)}
    shift = year - start.year
    return {"planned_start": _moved(start, shift), "planned_end": _moved(project.planned_end, shift)}


def apply_amendment(amendment: Amendment, *, actor) -> None:
    """Change the plan's data as the approved ``amendment`` says (inside the vote's transaction)."""
    reason = amendment.label
    target = amendment.target
    if target == AmendmentTarget.ACTION:
        changes = {}
        if amendment.text:
            changes["description"] = amendment.text
        if amendment.amount is not None:
            changes["budget"] = amendment.amount
        amend_action(amendment.action, changes=changes, reason=reason, actor=actor)
        return
    if target == AmendmentTarget.SECTION:
        audit_record(
            actor=actor,
            action="plan.section_amend",
            obj=amendment,
            after={"section": amendment.section, "text": amendment.text, "reason": reason},
        )
        return
    project = amendment.project
    if project is None:
        raise ValidationError(_("L'emendamento non indica il progetto da modificare."))
    before = {"total_cost": _money(project.total_cost), "planned_start": _day(project.planned_start),
              "publication": project.publication}  # fmt: skip
    if target == AmendmentTarget.PROJECT_AMOUNT:
        project_update(
            actor=actor, project=project, fields={"total_cost": amendment.amount}, municipality_codes=None, funding=None
        )
    elif target == AmendmentTarget.PROJECT_YEAR:
        project_update(
            actor=actor,
            project=project,
            fields=_project_year_fields(project, amendment.year),
            municipality_codes=None,
            funding=None,
        )
    else:
        project = project_set_publication(actor=actor, project=project, publish=target == AmendmentTarget.PROJECT_ADD)
    project.refresh_from_db()
    audit_record(
        actor=actor,
        action="project.amend",
        obj=project,
        before=before,
        after={
            "total_cost": _money(project.total_cost),
            "planned_start": _day(project.planned_start),
            "publication": project.publication,
            "reason": reason,
        },
    )


def _money(value) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _day(value) -> str | None:
    return value.isoformat() if value else None
