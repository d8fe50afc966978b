"""What the portfolios give the plan documents: the objectives tree with the published projects on each
specific objective, and (final plan only) the annual agenda of actions.

The tree comes from ``phases.plan_section``; this module hangs every published project on the specific
objectives it serves. Shapes in ``plan.sections``; fingerprints as in ``psm_portal.lib.plan_data``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation

from municipalities.models import Municipality
from phases.models import Objective
from phases.plan_section import objectives_rows, objectives_tree
from projects.models import Agenda, AgendaAction, FundingLine, Project
from psm_portal.accounts.models import Office
from psm_portal.lib.plan_data import decimal_text, digest, table_rows, through_rows, unavailable


def objectives_provider(kind: str) -> dict:
    """The whole tree with its indicators (two queries), then the projects on specific objectives (four)."""
    roots, specific = objectives_tree()
    if not roots:
        return unavailable()
    attach_projects(specific)
    return {"items": roots}


def attach_projects(specific: dict[int, dict]) -> None:
    """Hang every published project on the specific objectives it serves (four queries)."""
    if not specific:
        return
    projects = (
        Project.objects.published()
        .filter(objectives__in=list(specific))
        .distinct()
        .order_by("title", "pk")
        .prefetch_related(
            Prefetch("funding_lines", queryset=FundingLine.objects.order_by("source")),
            Prefetch("municipalities", queryset=Municipality.objects.only("istat_code", "name").order_by("name")),
            Prefetch("objectives", queryset=Objective.objects.filter(pk__in=list(specific)).only("pk")),
        )
    )
    # Labels (statuses, funding sources) are frozen in Italian, the language of the document.
    with translation.override("it"):
        for project in projects:
            lines = list(project.funding_lines.all())
            cost = project.total_cost if project.total_cost is not None else sum(line.amount for line in lines)
            entry = {
                "title": project.title,
                "cup": project.cup,
                "cost": str(cost),
                "funding": [{"source": str(line.get_source_display()), "amount": str(line.amount)} for line in lines],
                "municipalities": [m.name for m in project.municipalities.all()],
                "status": str(project.get_status_display()),
            }
            for objective in project.objectives.all():
                specific[objective.pk]["projects"].append(entry)


def objectives_fingerprint(kind: str) -> str:
    """The tree, its indicators, the projects with their funding, comuni and objectives.

    The comuni's names printed beside each project are in the ``municipalities`` section's fingerprint.
    """
    return digest(
        [
            *objectives_rows(),
            table_rows(Project.objects.all()),
            table_rows(FundingLine.objects.all()),
            through_rows(Project._meta.get_field("municipalities")),
            through_rows(Project._meta.get_field("objectives")),
        ]
    )


# --- The annual agenda ------------------------------------------------------------------------------------------


def agenda_provider(kind: str) -> dict:
    """Each year's public agenda (approved, or else the submitted one), its actions grouped by specific
    objective in the tree's order (actions with none last), in a constant number of queries."""
    versions = [Agenda.objects.for_year(year).public() for year in sorted(Agenda.objects.public_years())]
    if not versions:
        return unavailable(translation.gettext("Nessuna agenda annuale è stata ancora sottoposta al Consiglio."))
    actions = (
        AgendaAction.objects.filter(agenda__in=versions)
        .select_related("objective", "responsible_office")
        .prefetch_related(
            Prefetch("contributing_offices", queryset=Office.objects.order_by("name")),
            Prefetch("projects", queryset=Project.objects.only("pk", "title", "cup").order_by("title", "pk")),
        )
        .order_by("agenda__year", "position", "pk")
    )
    by_agenda: dict[int, list[AgendaAction]] = {agenda.pk: [] for agenda in versions}
    for action in actions:
        by_agenda[action.agenda_id].append(action)
    # Labels (statuses, funding sources, quarters) are frozen in Italian, the language of the document.
    with translation.override("it"):
        return {"years": [_agenda_entry(agenda, by_agenda[agenda.pk]) for agenda in versions]}


def _agenda_entry(agenda: Agenda, actions: list[AgendaAction]) -> dict:
    groups: dict[str, dict] = {}
    for action in sorted(actions, key=lambda a: (a.objective is None, a.objective.sort_key if a.objective else "")):
        objective = action.objective
        key = objective.code if objective else ""
        group = groups.setdefault(
            key,
            {
                "code": key,
                "title": objective.title if objective else translation.gettext("Azioni senza obiettivo specifico"),
                "actions": [],
            },
        )
        action.agenda = agenda  # for the code and the quarters' label, without a query
        group["actions"].append(
            {
                "code": action.code,
                "title": action.title,
                "description": action.description,
                "office": action.responsible_office.name,
                "contributing": [office.name for office in action.contributing_offices.all()],
                "start_quarter": action.start_quarter,
                "due_quarter": action.due_quarter,
                "quarters": action.quarters_label,
                "budget": decimal_text(action.budget),
                "funding": str(action.get_funding_source_display()) if action.funding_source else "",
                "output": action.expected_output,
                "indicator": action.indicator,
                "status": str(action.get_status_display()),
                "projects": [{"title": project.title, "cup": project.cup} for project in action.projects.all()],
            }
        )
    return {
        "year": agenda.year,
        "version": agenda.version,
        "title": agenda.title,
        "approved": agenda.approved_at is not None,
        "status": str(agenda.get_status_display()),
        "act": agenda.approved_by_act,
        "approved_on": timezone.localdate(agenda.approved_at).isoformat() if agenda.approved_at else "",
        "submitted_on": timezone.localdate(agenda.submitted_at).isoformat() if agenda.submitted_at else "",
        "count": len(actions),
        "budget": decimal_text(sum((action.budget for action in actions), Decimal("0"))),
        "groups": list(groups.values()),
    }


def agenda_fingerprint(kind: str) -> str:
    """The agendas, their actions and links, and the names and titles printed beside them."""
    return digest(
        [
            table_rows(Agenda.objects.all()),
            table_rows(AgendaAction.objects.all()),
            through_rows(AgendaAction._meta.get_field("projects")),
            through_rows(AgendaAction._meta.get_field("contributing_offices")),
            list(
                Project.objects.filter(agenda_actions__isnull=False)
                .distinct()
                .order_by("pk")
                .values_list("pk", "title", "cup")
            ),
            table_rows(Office.objects.all()),
            list(Objective.objects.order_by("pk").values_list("pk", "code", "title", "sort_key")),
        ]
    )
