"""Time /visione/ and the coverage dashboard with 108 municipalities × 20 general objectives of positions.

Run: VAR_DIR=/tmp/psm-bench .venv/bin/python bench/phases_pages.py  (a throw-away SQLite database, or DATABASE_URL)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from municipalities.models import Municipality  # noqa: E402
from phases.factories import ObjectiveFactory, VisionVersionFactory  # noqa: E402
from phases.models import Position, Stance, VisionStatus  # noqa: E402
from psm_portal.accounts.factories import UserFactory  # noqa: E402
from psm_portal.accounts.models import Role  # noqa: E402

RUNS = 20


def build() -> None:
    call_command("migrate", verbosity=0)
    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    version = VisionVersionFactory(number=900, status=VisionStatus.CLOSED, title="Bench")
    axis = ObjectiveFactory(code="X", order=90, title="Asse bench")
    general = [ObjectiveFactory(code=f"X{i}", parent=axis, order=i) for i in range(1, 21)]
    Position.objects.filter(version=version).delete()
    Position.objects.bulk_create(
        Position(version=version, municipality=m, objective=o, stance=Stance.AGREE)
        for m in Municipality.objects.all()
        for o in [None, *general]
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
    team = UserFactory(email="bench.team@example.org", role=Role.TEAM)
    client = Client()
    client.force_login(team, backend="psm_portal.accounts.backends.RoleBackend")
    print(f"positions: {Position.objects.count()}")
    for url in ["/visione/", "/area-riservata/consultazione/?versione=900", "/opendata/posizioni.csv"]:
        median, worst, queries = measure(client, url)
        print(f"{url:50} median {median:7.1f} ms   max {worst:7.1f} ms   {queries} queries")


if __name__ == "__main__":
    main()
