"""Time /attuazione/ beside the catalogue /progetti/ over 5,000 published projects with 20,000 validated reports
(four cycles), in the same run; and the query counts of both and of a project page. /attuazione/ is rendered once
per state of the data, so the last line times the first visit after a change too (the cache emptied).

Run: VAR_DIR=/tmp/psm-bench .venv/bin/python bench/implementation.py  (a throw-away SQLite database, or DATABASE_URL)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from implementation.models import FundingProgress, Milestone, ProgressReport, ReportingCycle, Review  # noqa: E402
from municipalities.models import Municipality  # noqa: E402
from phases.factories import ObjectiveFactory  # noqa: E402
from projects.models import FundingLine, Project, Publication  # noqa: E402
from psm_portal.accounts.models import Office  # noqa: E402

PROJECTS = 5000
CYCLES = 4  # × PROJECTS reports
RUNS = 15


def build() -> None:
    call_command("migrate", verbosity=0)
    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    if ReportingCycle.objects.filter(title__startswith="Bench ").count() == CYCLES:
        return
    office, _created = Office.objects.get_or_create(code="bench", defaults={"name": "Ufficio bench"})
    specifics = []
    for a in range(1, 4):
        axis = ObjectiveFactory(code=f"Z{a}", order=90 + a, title=f"Asse bench {a}")
        for g in range(1, 4):
            general = ObjectiveFactory(code=f"Z{a}.{g}"[:20], parent=axis, order=g)
            specifics += [ObjectiveFactory(code=f"Z{a}.{g}.{s}", parent=general, order=s) for s in range(1, 4)]
    comuni = list(Municipality.objects.all())
    projects = Project.objects.bulk_create(
        (
            Project(
                title=f"Progetto bench {n}",
                office=office,
                local_code=f"BENCH-{n}",
                cup=f"Z{n % 100:02d}Z{9_000_000 + n:011d}",
                total_cost=None if n % 11 == 0 else Decimal(10_000 * (n % 97 + 1)),
                publication=Publication.PUBLISHED,
            )
            for n in range(PROJECTS)
        ),
        batch_size=1000,
    )
    Project.objectives.through.objects.bulk_create(
        (
            Project.objectives.through(project=p, objective=specifics[n % len(specifics)])
            for n, p in enumerate(projects)
        ),
        batch_size=2000,
    )
    Project.municipalities.through.objects.bulk_create(
        (Project.municipalities.through(project=p, municipality=comuni[n % 108]) for n, p in enumerate(projects)),
        batch_size=2000,
    )
    FundingLine.objects.bulk_create(
        (FundingLine(project=p, source="pnrr", amount=p.total_cost or Decimal(1000)) for p in projects), batch_size=2000
    )
    cycles = [
        ReportingCycle.objects.create(
            title=f"Bench {i}", opens_on=date(2027, 1 + 3 * i, 1), closes_on=date(2027, 1 + 3 * i, 28)
        )
        for i in range(CYCLES)
    ]
    for i, cycle in enumerate(cycles):
        reports = ProgressReport.objects.bulk_create(
            (
                ProgressReport(
                    cycle=cycle,
                    project=p,
                    office=office,
                    progress="on_track",
                    percent=min(100, (n % 50) + 15 * i),
                    review=Review.VALIDATED,
                    current=i == CYCLES - 1,
                    committed_total=Decimal(500 * (i + 1)),
                    paid_total=Decimal(200 * (i + 1)),
                )
                for n, p in enumerate(projects)
            ),
            batch_size=1000,
        )
        Milestone.objects.bulk_create(
            (Milestone(report=r, title="Avvio dei lavori", planned_on="2027-06-01") for r in reports), batch_size=2000
        )
        FundingProgress.objects.bulk_create(
            (FundingProgress(report=r, source="pnrr", committed=r.committed_total, paid=r.paid_total) for r in reports),
            batch_size=2000,
        )


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(queries.captured_queries)


def main() -> None:
    build()
    print(f"projects: {Project.objects.published().count()}, reports: {ProgressReport.objects.count()}")
    client = Client()
    project = Project.objects.filter(local_code="BENCH-1").get()
    for url in ["/progetti/", "/attuazione/", "/attuazione/?comune=083048&mappa=pagato", project.get_absolute_url()]:
        median, worst, queries = measure(client, url)
        print(f"{url:50} median {median:7.1f} ms   max {worst:7.1f} ms   {queries} queries")
    # The first visit after a change (a validation, a project saved): the roll-up computed and the page rendered.
    cold = []
    for _ in range(5):
        cache.clear()
        start = time.perf_counter()
        client.get("/attuazione/")
        cold.append((time.perf_counter() - start) * 1000)
    print(f"{'/attuazione/ after a change (cache empty)':50} median {statistics.median(cold):7.1f} ms")


if __name__ == "__main__":
    main()
