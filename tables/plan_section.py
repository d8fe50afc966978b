"""What the working tables give the plan documents: the tables, their sessions with dates and attendance by
organisation, the participation of the comuni and the outcomes with what they became in the plan.

Shape in ``plan.sections``; fingerprint as in ``psm_portal.lib.plan_data``. Organisations only, never people.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone, translation

from municipalities.models import Municipality
from psm_portal.lib.plan_data import digest, table_rows, through_rows
from tables.models import Attendance, Member, Outcome, Session, WorkingTable
from tables.reads import participation_by_comune


def tables_provider(kind: str) -> dict:
    """Every table with its sessions (not cancelled) and outcomes; sessions attended per comune. The section is always
    available: with no table yet, the chapter says so."""
    tables = list(
        WorkingTable.objects.select_related("coordinator_office")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.select_related("municipality", "office")),
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(cancelled=False)
                .order_by("starts_at", "pk")
                .prefetch_related(
                    Prefetch(
                        "attendance",
                        queryset=Attendance.objects.select_related("member__municipality", "member__office"),
                    )
                ),
            ),
            Prefetch("outcomes", queryset=Outcome.objects.for_listing().order_by("created_at", "pk")),
        )
        .order_by("phase", "title", "pk")
    )
    counts = participation_by_comune()
    names = dict(Municipality.objects.filter(istat_code__in=counts).values_list("istat_code", "name"))
    with translation.override("it"):
        items = [
            {
                "title": table.title,
                "theme": table.theme,
                "phase": str(table.get_phase_display()),
                "coordinator": table.coordinator_label,
                "members": [member.label for member in table.members.all()],
                "sessions": [
                    {
                        "date": timezone.localtime(session.starts_at).date().isoformat(),
                        "title": session.title,
                        "people": sum(a.people for a in session.attendance.all()),
                        "organisations": [a.member.label for a in session.attendance.all() if a.people],
                        "minutes": session.minutes_public,
                    }
                    for session in table.sessions.all()
                ],
                "outcomes": [
                    {
                        "title": outcome.title,
                        "objective": f"{outcome.objective.code} {outcome.objective.title}"
                        if outcome.objective_id
                        else "",
                        "proposal": outcome.proposal.title if outcome.proposal_id else "",
                        "project": outcome.project.title if outcome.project_id else "",
                        "vocation": outcome.vocation.name if outcome.vocation_id else "",
                        "scenario": outcome.scenario.title if outcome.scenario_id else "",
                    }
                    for outcome in table.outcomes.all()
                ],
            }
            for table in tables
        ]
    return {
        "items": items,
        "participation": [
            {"istat_code": code, "name": names.get(code, code), "sessions": n}
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], "")))
        ],
    }


def tables_fingerprint(kind: str) -> str:
    """Every row the provider reads (tables, members, sessions, attendance, outcomes and what they name)."""
    return digest(
        [
            table_rows(WorkingTable.objects.all()),
            table_rows(Member.objects.all()),
            table_rows(Session.objects.all()),
            table_rows(Attendance.objects.all()),
            table_rows(Outcome.objects.all()),
            through_rows(WorkingTable._meta.get_field("objectives")),
            list(
                Outcome.objects.order_by("pk").values_list(
                    "objective__title", "proposal__title", "project__title", "vocation__name", "scenario__title"
                )
            ),
        ]
    )
