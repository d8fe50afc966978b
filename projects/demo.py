"""Demo portfolios for ``manage.py seed_demo``: real PNRR CUP codes (OpenCUP) spread over the demo offices.

Titles and amounts are examples (the summary says so); dates are relative to today.
Idempotent: projects are found by CUP, proposals by title.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from municipalities.models import Municipality
from projects.models import FundingLine, Project, Proposal, Publication, Status
from projects.objectives import specific_objectives
from projects.services.projects import project_set_publication
from psm_portal.accounts.models import Office, User

DATA = Path(__file__).resolve().parent / "data" / "pnrr_cup_messina.csv"
OFFICE_WORK = {
    "viabilita": "Messa in sicurezza della viabilità",
    "ambiente": "Mitigazione del rischio idrogeologico",
    "edilizia-scolastica": "Adeguamento sismico ed efficientamento di edifici scolastici",
    "sviluppo-economico": "Rigenerazione urbana e servizi di prossimità",
}
# The specific objectives of the demo tree (phases/demo.py) each office's works serve.
OFFICE_OBJECTIVES = {
    "viabilita": ["A1.1"],
    "ambiente": ["B1.1"],
    "edilizia-scolastica": ["D1.1"],
    "sviluppo-economico": ["C2.1"],
}
IDEA_OBJECTIVES = ["A1.2", "C1.1"]
STATUSES = [Status.FUNDED, Status.IN_PROGRESS, Status.DESIGNED, Status.COMPLETED, Status.PLANNED]


def demo_rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_projects() -> int:
    offices = list(Office.objects.filter(code__in=OFFICE_WORK).order_by("code"))
    if not offices:
        return 0
    names = dict(Municipality.objects.values_list("istat_code", "name"))
    team = User.objects.filter(email="team@demo.psm.local").first()
    today = timezone.localdate()
    created = 0
    for index, row in enumerate(demo_rows()):
        office = offices[index % len(offices)]
        name = names.get(row["istat_code"], row["municipality"].title())
        cost = Decimal(150_000 + (index * 73_250) % 2_400_000)
        start = today - timedelta(days=400) + timedelta(days=37 * index)
        project, was_created = Project.objects.get_or_create(
            cup=row["cup"],
            defaults={
                "office": office,
                "title": f"{OFFICE_WORK[office.code]} — {name}",
                "summary": "Dati dimostrativi: CUP reale (OpenCUP, PNRR); titolo, importi e date di esempio.",
                "status": STATUSES[index % len(STATUSES)],
                "priority": 1 + index % 3,
                "total_cost": cost,
                "planned_start": start,
                "planned_end": start + timedelta(days=540),
                "local_code": f"DEMO-{index + 1:03d}",
            },
        )
        if was_created:
            created += 1
            project.municipalities.set([row["istat_code"]])
            pnrr = (cost * Decimal("0.8")).quantize(Decimal("0.01"))
            FundingLine.objects.bulk_create(
                [
                    FundingLine(project=project, source="pnrr", amount=pnrr),
                    FundingLine(project=project, source="metro_city", amount=cost - pnrr),
                ]
            )
            if index % 5 != 4:  # a few stay drafts, to show the office's own view
                project_set_publication(actor=team, project=project, publish=True)
    idea, was_created = Project.objects.get_or_create(
        office=offices[0],
        local_code="DEMO-IDEA-01",
        defaults={
            "title": "Rete metropolitana di piste ciclabili costiere",
            "summary": "Dati dimostrativi: un'idea che riguarda l'intera area metropolitana.",
            "status": Status.IDEA,
            "whole_area": True,
            "publication": Publication.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    created += int(was_created)
    return created


def link_objectives() -> int:
    """Link the demo projects without objectives to the demo tree's specific objectives, if it exists."""
    by_code = {
        o.code: o
        for o in specific_objectives().filter(code__in=[*sum(OFFICE_OBJECTIVES.values(), []), *IDEA_OBJECTIVES])
    }
    if not by_code:
        return 0
    linked = 0
    demo = Project.objects.filter(local_code__startswith="DEMO-", objectives__isnull=True).select_related("office")
    for project in demo:
        codes = (
            IDEA_OBJECTIVES if project.local_code == "DEMO-IDEA-01" else OFFICE_OBJECTIVES.get(project.office.code, [])
        )
        objectives = [by_code[code] for code in codes if code in by_code]
        if objectives:
            project.objectives.set(objectives)
            # The catalogue's cached totals follow the projects' last change.
            Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
            linked += 1
    return linked


def seed_proposals() -> None:
    mayor = User.objects.filter(email="sindaco.a@demo.psm.local").first()
    stakeholder = User.objects.filter(email="stakeholder@demo.psm.local").first()
    if mayor:
        Proposal.objects.get_or_create(
            title="Parcheggio di interscambio alla stazione di Messina Centrale",
            proposer=mayor,
            defaults={
                "description": "Un parcheggio di interscambio con le linee extraurbane, per ridurre il traffico in centro.",
                "municipality": mayor.municipality,
                "estimated_cost": Decimal("2500000"),
            },
        )
    if stakeholder:
        Proposal.objects.get_or_create(
            title="Laboratori università-imprese nei comuni dei Nebrodi",
            proposer=stakeholder,
            defaults={"description": "Spazi condivisi per l'innovazione nelle aree interne, con l'università."},
        )


def seed(stdout) -> None:
    created = seed_projects()
    linked = link_objectives()
    seed_proposals()
    stdout.write(
        f"Progetti dimostrativi: {Project.objects.count()} in tutto ({created} nuovi, "
        f"{linked} collegati agli obiettivi specifici)."
    )
