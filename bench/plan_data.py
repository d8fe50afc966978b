"""Real rows for ``bench/plan_pdf.py``: an adopted Vision, an objectives tree, projects with their funding,
comuni and objectives, a questionnaire with responses and istanze, written through the portal's models.

Deterministic (fixed seed). ``seed(objectives, projects, responses)`` does nothing when the database
already holds exactly that data (the adopted Vision's title is the signature of the sizes), so repeated
runs are quick.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

# The axes' titles, in turn (the tests' synthetic plan uses the same ones).
AXES = [
    "Territorio connesso",
    "Ambiente e aree interne",
    "Economia del mare e turismo",
    "Comunità e servizi",
    "Innovazione e lavoro",
    "Cultura e identità",
]

SIGNATURE = "bench-plan:{objectives}:{projects}:{responses}"


def seed(*, objectives: int, projects: int, responses: int) -> bool:
    """Fill the database with the plan's data at the given sizes; False when it was already there."""
    from phases.models import VisionVersion

    signature = SIGNATURE.format(objectives=objectives, projects=projects, responses=responses)
    if VisionVersion.objects.filter(title=signature).exists():
        return False
    _clear()
    with transaction.atomic():
        _vision(signature)
        specific = _objectives(objectives)
        _projects(projects, specific)
        _needs()
    _questionnaire(responses)
    return True


def _clear() -> None:
    from phases.models import Indicator, Need, Objective, VisionVersion
    from plan.models import PlanDocument
    from projects.models import FundingLine, Project
    from psm_portal.accounts.models import Office
    from surveys.models import Questionnaire

    with transaction.atomic():
        PlanDocument.objects.all().delete()
        FundingLine.objects.all().delete()
        Project.objects.all().delete()
        Office.objects.all().delete()
        Indicator.objects.all().delete()
        for level in (3, 2, 1):
            Objective.objects.filter(level=level).delete()
        VisionVersion.objects.all().delete()
        Need.objects.all().delete()
        for questionnaire in Questionnaire.objects.all():
            questionnaire.tallies.all().delete()
            questionnaire.responses.all().delete()
            questionnaire.delete()


def _vision(signature: str) -> None:
    from phases.factories import VisionVersionFactory
    from phases.models import VisionStatus

    VisionVersionFactory(
        number=1,
        title=signature,
        text="<p>Una Città Metropolitana connessa, dallo Stretto alle Eolie e ai Nebrodi, dove i 108 comuni "
        "crescono insieme: servizi vicini alle persone, un ambiente custodito e un'economia che valorizza il mare, "
        "la cultura e il lavoro.</p>" * 6,
        status=VisionStatus.ADOPTED,
        adopted_at=timezone.now(),
    )


def _objectives(count: int) -> list:
    """Axes, general objectives (three per axis) and specific ones up to ``count``, with two indicators each."""
    from phases.factories import ObjectiveFactory
    from phases.models import Indicator

    rng = random.Random(20270101)
    axes = [
        ObjectiveFactory(order=a + 1, title=AXES[a % len(AXES)], description=f"L'asse {a + 1} del piano.")
        for a in range(max(1, count // 15))
    ]
    generals = []
    for g in range(len(axes) * 3):
        axis = axes[g % len(axes)]
        generals.append(ObjectiveFactory(parent=axis, order=g // len(axes) + 1, title=f"Obiettivo generale {g + 1}"))
    specific = []
    for s in range(max(len(generals), count - len(axes) - len(generals))):
        parent = generals[s % len(generals)]
        specific.append(
            ObjectiveFactory(
                parent=parent,
                order=s // len(generals) + 1,
                title=f"Obiettivo specifico {s + 1}",
                description=f"Che cosa cambia per i cittadini con l'obiettivo specifico {s + 1}.",
            )
        )
    Indicator.objects.bulk_create(
        Indicator(
            objective=node,
            name=f"Indicatore {node.code} n. {i + 1}",
            unit="%",
            baseline=Decimal(rng.randint(5, 40)),
            target=Decimal(rng.randint(41, 90)),
            year=2029,
            order=i,
        )
        for node in specific
        for i in range(2)
    )
    return specific


def _projects(count: int, specific: list) -> None:
    from municipalities.models import Municipality
    from projects.factories import fake_cup
    from projects.models import FundingLine, FundingSource, Project, Publication, Status
    from psm_portal.accounts.factories import OfficeFactory

    rng = random.Random(7)
    offices = [OfficeFactory(name=f"Ufficio di prova {n + 1}") for n in range(6)]
    codes = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    statuses = [Status.PLANNED, Status.DESIGNED, Status.FUNDED, Status.IN_PROGRESS, Status.COMPLETED]
    sources = list(FundingSource.values)
    now = timezone.now()
    rows = Project.objects.bulk_create(
        Project(
            title=f"Progetto {p + 1}: intervento per l'obiettivo {specific[p % len(specific)].code}",
            summary="Lavori, servizi e forniture per i comuni interessati.",
            office=offices[p % len(offices)],
            cup=fake_cup(p),
            status=rng.choice(statuses),
            total_cost=Decimal(rng.randint(50, 5000) * 1000),
            publication=Publication.PUBLISHED,
            published_at=now,
            updated_at=now,
        )
        for p in range(count)
    )
    through_m = Project.municipalities.through
    through_o = Project.objectives.through
    links_m, links_o, lines = [], [], []
    for index, project in enumerate(rows):
        for code in rng.sample(codes, k=rng.randint(1, 3)):
            links_m.append(through_m(project_id=project.pk, municipality_id=code))
        links_o.append(through_o(project_id=project.pk, objective_id=specific[index % len(specific)].pk))
        share = (project.total_cost * Decimal("0.6")).quantize(Decimal("1"))
        first, second = rng.sample(sources, k=2)
        lines += [
            FundingLine(project=project, source=first, amount=share),
            FundingLine(project=project, source=second, amount=project.total_cost - share),
        ]
    through_m.objects.bulk_create(links_m, batch_size=2000)
    through_o.objects.bulk_create(links_o, batch_size=2000)
    FundingLine.objects.bulk_create(lines, batch_size=2000)


def _needs() -> None:
    from municipalities.models import Municipality
    from phases.factories import NeedFactory

    for code in Municipality.objects.order_by("pk").values_list("pk", flat=True)[::3]:
        NeedFactory(municipality_id=code)


def _questionnaire(responses: int) -> None:
    from municipalities.models import Municipality
    from surveys.answers import Structure
    from surveys.demo import random_answers
    from surveys.factories import every_kind_questionnaire
    from surveys.services import response_submit
    from surveys.spreading import responses_spread_all

    survey = every_kind_questionnaire(slug="bench-piano", title="Il futuro del territorio", results_published=True)
    structure = Structure.load(survey)
    rng = random.Random(11)
    codes = list(Municipality.objects.order_by("-population").values_list("pk", flat=True))
    weights = [1 / (rank + 1) for rank in range(len(codes))]
    for _ in range(responses):
        response_submit(
            questionnaire=survey,
            answers=random_answers(structure, rng, codes, weights),
            structure=structure,
            municipality_codes=codes,
        )
    responses_spread_all(questionnaire_id=survey.pk)  # what the worker does a moment later
