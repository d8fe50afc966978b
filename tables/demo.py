"""Demo data for ``manage.py seed_demo``: two working tables of phase 2 and the final comparison table of phase 3,
with past sessions (attendance, published minutes, outcomes linked to the plan) and an upcoming session. Written
through the services, by the demo team and the coordinating office. Idempotent: nothing is done once a table exists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from municipalities.models import Municipality
from phases.models import Objective
from projects.models import Project, Proposal
from psm_portal.accounts.models import Office, User
from tables.models import TablePhase, WorkingTable
from tables.services import (
    attendance_record,
    contribution_reply,
    contribution_submit,
    minutes_publish,
    minutes_save,
    outcome_create,
    session_save,
    table_save,
)
from vocations.models import Scenario, Vocation

TABLES = [
    (
        "Mobilità e collegamenti",
        "Collegamenti tra costa, isole minori ed entroterra",
        TablePhase.AGENDA,
        "viabilita",
        ["083048", "083041", "083049", "083066"],
    ),
    (
        "Ambiente e rischio idrogeologico",
        "Torrenti, coste e protezione civile",
        TablePhase.AGENDA,
        "ambiente",
        ["083048", "083016", "083088"],
    ),
    ("Tavolo finale di confronto", "Il piano finale con gli uffici", TablePhase.FINAL, None, ["083048", "083041"]),
]


def _hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def seed(stdout) -> None:
    team = User.objects.filter(email="team@demo.psm.local").first()
    if team is None or WorkingTable.objects.exists():
        return
    now = _hour(timezone.now())
    offices = {o.code: o for o in Office.objects.all()}
    specifics = list(Objective.objects.filter(level=3).order_by("sort_key")[:3])
    generals = list(Objective.objects.general().order_by("sort_key")[:2])
    proposal = Proposal.objects.order_by("pk").first()
    project = Project.objects.published().order_by("pk").first()
    vocation = Vocation.objects.order_by("order", "pk").first()  # seeded before the tables (seed_demo's order)
    scenario = Scenario.objects.order_by("-order", "-pk").first()
    for n, (title, theme, phase, office_code, codes) in enumerate(TABLES):
        office = offices.get(office_code) if office_code else None
        table = table_save(
            user=team,
            title=title,
            theme=theme,
            description=f"Il tavolo «{title}» riunisce comuni, uffici e stakeholder sul tema: {theme.lower()}.",
            phase=phase,
            objectives=generals[n % 2 : n % 2 + 1] if generals else [],
            coordinator_user=None if office else team,
            coordinator_office=office,
            municipalities=list(Municipality.objects.filter(istat_code__in=codes)),
            offices=list(offices.values()) if phase == TablePhase.FINAL else ([office] if office else []),
            organisations=["Università degli Studi di Messina", "ANCE Messina"],
        )
        coordinator = User.objects.filter(office=office).first() if office else team
        coordinator = coordinator or team
        for weeks_ago in (6, 2):
            session = session_save(
                user=team,
                table=table,
                title=f"Seduta di {'avvio' if weeks_ago == 6 else 'approfondimento'}",
                starts_at=now - timedelta(weeks=weeks_ago),
                duration_minutes=120,
                place="Palazzo dei Leoni, corso Cavour 87, Messina",
                online_url="https://meet.example.org/psm-tavolo",
                agenda=["Apertura e presentazioni", "Le proposte dei comuni", "Prossimi passi"],
            )
            members = list(table.members.all())
            attendance_record(
                user=coordinator,
                session=session,
                people={m.pk: (2 if m.municipality_id else 1) for i, m in enumerate(members) if i % 3 != 2},
            )
            minutes_save(
                user=coordinator,
                session=session,
                html=(
                    "<h2>Sintesi</h2><p>I comuni hanno presentato le priorità del territorio; gli uffici hanno "
                    "illustrato i progetti in corso.</p><ul><li>Priorità condivise</li><li>Proposte da "
                    "approfondire</li></ul>"
                ),
            )
            if phase != TablePhase.FINAL or weeks_ago == 6:  # the final table's latest minutes: still a draft
                minutes_publish(user=coordinator, session=session)
        outcome_create(
            user=coordinator,
            table=table,
            session=session,
            title=f"Priorità condivise del tavolo «{title}»",
            description="Le priorità emerse dalle sedute, proposte come obiettivo specifico del piano.",
            objective=specifics[n % len(specifics)] if specifics else None,
            proposal=proposal if n == 0 else None,
            project=project if n == 1 else None,
            vocation=vocation if n == 0 else None,
            scenario=scenario if n == 2 else None,
        )
        session_save(
            user=team,
            table=table,
            title="Seduta conclusiva",
            starts_at=now + timedelta(days=7 + n),
            duration_minutes=120,
            place="Palazzo dei Leoni, corso Cavour 87, Messina",
            agenda=["Le proposte finali", "Gli esiti per il piano"],
        )
        mayor = User.objects.filter(email="sindaco.a@demo.psm.local").first()
        if mayor is not None:
            contribution = contribution_submit(
                user=mayor, table=table, text="Il Comune propone di inserire il collegamento con i villaggi collinari."
            )
            if phase != TablePhase.FINAL:  # the final table's contribution still awaits its answer
                contribution_reply(
                    user=coordinator, contribution=contribution, reply="Sarà discusso nella prossima seduta."
                )
    stdout.write("Tavoli di lavoro dimostrativi creati.")
