"""Demo portfolios for ``manage.py seed_demo``: real PNRR CUP codes (OpenCUP) spread over the demo offices, and
the 2027 annual agenda of actions over them, submitted to the council.

Titles and amounts are examples (the summary says so); dates are relative to today.
Idempotent: projects are found by CUP, proposals by title, the agenda by its year.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from municipalities.models import Municipality
from projects.models import Agenda, FundingLine, Project, Proposal, Publication, Status
from projects.objectives import specific_objectives
from projects.services.agenda import new_agenda, save_action, submit_agenda
from projects.services.projects import project_set_publication
from projects.services.proposals import proposal_merge
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
        proposal, _created = Proposal.objects.get_or_create(
            title="Laboratori università-imprese nei comuni dei Nebrodi",
            proposer=stakeholder,
            defaults={"description": "Spazi condivisi per l'innovazione nelle aree interne, con l'università."},
        )
        # The team merged it into a published project: its page lists the proposal (what became of it).
        team = User.objects.filter(email="team@demo.psm.local").first()
        project = Project.objects.published().order_by("pk").first()
        if proposal.is_open and team and project:
            proposal_merge(
                actor=team,
                proposal=proposal,
                project=project,
                reason="Gli spazi condivisi sono previsti dal progetto, che li porta anche nei Nebrodi.",
            )


# The demo agenda's actions per office: (title, description, start quarter, due quarter, expected output,
# indicator, funding source), each over the office's published projects in turn.
AGENDA_YEAR = 2027
AGENDA_ACTIONS = {
    "viabilita": [
        (
            "Progettazione esecutiva degli interventi sulle strade provinciali",
            "Affidamento e consegna dei progetti esecutivi dei tratti da mettere in sicurezza.",
            1,
            2,
            "Progetti esecutivi approvati",
            "Progetti approvati (n.)",
            "pnrr",
        ),
        (
            "Gare per i lavori di messa in sicurezza",
            "Bandi e aggiudicazione dei lavori.",
            2,
            3,
            "Contratti firmati",
            "Lavori aggiudicati (n.)",
            "pnrr",
        ),
        (
            "Avvio dei cantieri e monitoraggio",
            "Consegna dei lavori e rendiconto trimestrale.",
            3,
            4,
            "Cantieri aperti",
            "Stato di avanzamento dei lavori (%)",
            "metro_city",
        ),
    ],
    "ambiente": [
        (
            "Rilievi e studi idraulici dei torrenti",
            "Rilievi topografici e modelli idraulici dei bacini.",
            1,
            2,
            "Studi idraulici consegnati",
            "Bacini studiati (n.)",
            "pnrr",
        ),
        (
            "Pulizia e manutenzione degli alvei",
            "Interventi prima della stagione delle piogge.",
            2,
            3,
            "Alvei puliti",
            "Chilometri di alveo puliti",
            "region",
        ),
        (
            "Opere di difesa idraulica",
            "Avvio dei lavori di consolidamento degli argini.",
            3,
            4,
            "Lavori avviati",
            "Argini consolidati (m)",
            "pnrr",
        ),
    ],
    "edilizia-scolastica": [
        (
            "Verifiche di vulnerabilità sismica",
            "Verifiche sugli edifici scolastici del piano.",
            1,
            1,
            "Verifiche completate",
            "Edifici verificati (n.)",
            "pnrr",
        ),
        (
            "Adeguamento sismico durante la pausa estiva",
            "Lavori concentrati nei mesi senza lezioni.",
            2,
            3,
            "Edifici adeguati",
            "Studenti in edifici adeguati (n.)",
            "pnrr",
        ),
    ],
    "sviluppo-economico": [
        (
            "Co-progettazione con i comuni dei servizi di prossimità",
            "Tavoli con i comuni interessati.",
            1,
            2,
            "Schede dei servizi condivise",
            "Comuni coinvolti (n.)",
            "metro_city",
        ),
        (
            "Avvio degli interventi di rigenerazione urbana",
            "Affidamento dei lavori negli spazi scelti.",
            3,
            4,
            "Spazi rigenerati",
            "Superficie rigenerata (m²)",
            "pnrr",
        ),
    ],
}


def seed_agenda() -> Agenda | None:
    """The 2027 agenda: each office's actions (written by the demo office user when there is one, by the team
    otherwise), then submitted to the council by the team. Nothing is done once a 2027 agenda exists."""
    team = User.objects.filter(email="team@demo.psm.local").first()
    if team is None or Agenda.objects.for_year(AGENDA_YEAR).exists():
        return None
    staff = {
        user.office_id: user for user in User.objects.filter(email__endswith="@demo.psm.local", office__isnull=False)
    }
    agenda = new_agenda(team, AGENDA_YEAR)
    for code, actions in AGENDA_ACTIONS.items():
        office = Office.objects.filter(code=code).first()
        projects = (
            list(
                Project.objects.published().filter(office=office, local_code__startswith="DEMO-").order_by("local_code")
            )
            if office
            else []
        )
        if not projects:
            continue
        author = staff.get(office.pk, team)
        for index, (title, description, start, due, output, indicator, source) in enumerate(actions):
            chosen = projects[index :: len(actions)][:3] or projects[:1]
            objective = next((o for p in chosen[:1] for o in p.objectives.all()), None)
            save_action(
                author,
                agenda,
                {
                    "title": title,
                    "description": description,
                    "projects": chosen,
                    "objective": objective,
                    "responsible_office": office,
                    "start_quarter": start,
                    "due_quarter": due,
                    "budget": (sum((p.total_cost or Decimal("0") for p in chosen), Decimal("0")) / 4).quantize(
                        Decimal("0.01")
                    ),
                    "funding_source": source,
                    "expected_output": output,
                    "indicator": indicator,
                },
            )
    if agenda.actions.exists():
        submit_agenda(team, agenda)
    return agenda


def seed(stdout) -> None:
    created = seed_projects()
    linked = link_objectives()
    seed_proposals()
    stdout.write(
        f"Progetti dimostrativi: {Project.objects.count()} in tutto ({created} nuovi, "
        f"{linked} collegati agli obiettivi specifici)."
    )
    agenda = seed_agenda()
    if agenda is not None:
        stdout.write(f"{agenda}: {agenda.actions.count()} azioni, sottoposta al Consiglio metropolitano.")
