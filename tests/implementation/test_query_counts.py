"""Query counts of /attuazione/, a project page and a comune page: the same at 100 projects with 400 reports and at
the issue's 5,000 projects with 20,000 reports (four cycles; bulk_create keeps it to seconds). Their speed is
measured in bench/implementation.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation.factories import ReportingCycleFactory
from implementation.models import FundingProgress, Milestone, ProgressReport, Review
from projects.models import FundingLine, Project, Publication

pytestmark = pytest.mark.django_db


CYCLES = 4


def grow(size: int, office, tree, messina) -> Project:
    """``size`` published projects over the tree, each with four cycles of validated reports, milestones and money."""
    cycles = [ReportingCycleFactory() for _ in range(CYCLES)]
    specifics = [tree["A1.1"], tree["A1.2"], tree["B1.1"]]
    projects = Project.objects.bulk_create(
        Project(
            title=f"Progetto {size}-{n}",
            office=office,
            cup=f"Z{n % 100:02d}Z{size * 10000 + n:011d}",
            total_cost=None if n % 7 == 0 else Decimal(1000 * (n + 1)),
            publication=Publication.PUBLISHED,
        )
        for n in range(size)
    )
    Project.objectives.through.objects.bulk_create(
        Project.objectives.through(project=p, objective=specifics[n % 3]) for n, p in enumerate(projects)
    )
    Project.municipalities.through.objects.bulk_create(
        Project.municipalities.through(project=p, municipality=messina) for p in projects
    )
    FundingLine.objects.bulk_create(FundingLine(project=p, source="pnrr", amount=Decimal(1000)) for p in projects)
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            cycle=cycle,
            project=p,
            office=office,
            progress="on_track",
            percent=(n * 7 + i * 20) % 100,
            review=Review.VALIDATED,
            current=i == CYCLES - 1,
            committed_total=Decimal(500),
            paid_total=Decimal(100),
        )
        for n, p in enumerate(projects)
        for i, cycle in enumerate(cycles)
    )
    Milestone.objects.bulk_create(Milestone(report=r, title="Consegna", planned_on="2027-03-01") for r in reports)
    FundingProgress.objects.bulk_create(
        FundingProgress(report=r, source="pnrr", committed=Decimal(500), paid=Decimal(100)) for r in reports
    )
    return projects[0]


def count(client, url: str) -> int:
    """The queries of ``url`` with the roll-up computed afresh (Django's cache emptied; per-process memos, such as
    the comuni's shapes, kept as a running site has them)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = {
    "attuazione": lambda project, messina: reverse("implementation:progress"),
    "attuazione-filtered": lambda project, messina: (
        reverse("implementation:progress") + "?comune=083048&fonte=pnrr&mappa=pagato"
    ),
    "project": lambda project, messina: project.get_absolute_url(),
    "comune": lambda project, messina: messina.get_absolute_url(),
}


def test_the_same_queries_at_100_and_5000_projects(client, tree, office_a, messina):
    small = grow(100, office_a, tree, messina)
    for page in PAGES.values():  # fill the per-process memos
        client.get(page(small, messina))
    small_counts = {name: count(client, page(small, messina)) for name, page in PAGES.items()}
    large = grow(4900, office_a, tree, messina)
    assert Project.objects.published().count() == 5000
    assert ProgressReport.objects.count() == 20000
    assert {name: count(client, page(large, messina)) for name, page in PAGES.items()} == small_counts
