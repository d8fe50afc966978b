"""Benchmark of the projects import and catalogue.

    .venv/bin/python bench/import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://... .venv/bin/python bench/import.py   # an EMPTY database of your own

Targets: a 10,000-row file imports (check + write, the path the office pages use) in ≤ 15 s with
peak memory ≤ 300 MB; /progetti/ over 5,000 projects renders in ≤ 100 ms median, with the same
number of queries at 500 and at 5,000 projects.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="psm-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{TMP}/media")
# Production-like: DEBUG off (no query log), plain static storage (no collectstatic needed).
for name, value in {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
}.items():
    os.environ.setdefault(name, value)
os.environ.pop("REDIS_URL", None)  # Celery eager: the task code runs in this process
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
CATALOGUE_PROJECTS = min(5_000, ROWS)


def build_csv(rows: int) -> bytes:
    """Our template's columns, Italian numbers and dates, municipalities by name (like a real office file)."""
    from municipalities.models import Municipality

    names = list(Municipality.objects.order_by("istat_code").values_list("name", flat=True))
    header = "CUP;Codice locale;Titolo;Sintesi;Stato;Comuni;Costo totale;Finanziamento PNRR;Finanziamento Regione;Inizio previsto;Fine prevista"
    lines = [header]
    statuses = ["programmato", "finanziato", "in corso", "concluso", "progettato"]
    for n in range(rows):
        cost = 50_000 + (n * 7919) % 5_000_000
        pnrr = cost * 8 // 10
        lines.append(
            f"B{n % 100:02d}C{n:011d};BENCH-{n};Intervento di manutenzione numero {n};Lavori su strade e scuole;"
            f"{statuses[n % 5]};{names[n % 108].upper()};{cost:,}".replace(",", ".")
            + f",00;{pnrr:,}".replace(",", ".")
            + f",00;{cost - pnrr:,}".replace(",", ".")
            + f",00;{1 + n % 28:02d}/{1 + n % 12:02d}/2025;{1 + n % 28:02d}/{1 + n % 12:02d}/2027"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    setup_test_environment()
    # One persistent connection, as a web worker keeps with CONN_MAX_AGE (and so the query capture sees it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("load_municipalities", verbosity=0)
    from projects.models import ImportState, Project, ProjectImport, Publication
    from projects.services.imports import import_confirm, import_upload
    from psm_portal.accounts.factories import OfficeFactory, UserFactory
    from psm_portal.accounts.models import Role

    if Project.objects.exists():
        print("Il database non è vuoto: usa un database di prova dedicato.")
        return 2
    office = OfficeFactory(code="bench", name="Ufficio benchmark")
    user = UserFactory(email="bench@bench.local", role=Role.OFFICE, office=office)
    data = build_csv(ROWS)
    print(
        f"Database: {connection.vendor}; carico della macchina (load average 1 min): {os.getloadavg()[0]:.1f} su {os.cpu_count()} CPU"
    )
    print(f"File: {ROWS:,} righe, {len(data) / 1024 / 1024:.1f} MB (CSV, punto e virgola, comuni per nome)")

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    batch = import_upload(actor=user, office=office, name="bench.csv", data=data)  # check (preview)
    batch.refresh_from_db()
    checked = time.perf_counter()
    assert batch.state == ImportState.PREVIEW, batch.errors[:5]
    import_confirm(batch=batch)  # write, all rows or none
    batch.refresh_from_db()
    finished = time.perf_counter()
    assert batch.state == ImportState.DONE, batch.errors[:5]
    assert Project.objects.count() == ROWS
    total = finished - started
    rss = peak_rss_mb()
    print(
        f"Import di {ROWS:,} righe: anteprima {checked - started:.2f} s + scrittura {finished - checked:.2f} s = {total:.2f} s (obiettivo ≤ 15 s)"
    )
    print(f"Memoria: picco del processo (RSS) {rss:.0f} MB, {rss_before:.0f} MB prima dell'import (obiettivo ≤ 300 MB)")

    started = time.perf_counter()
    again = import_upload(actor=user, office=office, name="bench.csv", data=data)
    import_confirm(batch=ProjectImport.objects.get(pk=again.pk))
    again.refresh_from_db()
    print(
        f"Reimport dello stesso file: {again.to_create} creati, {again.to_update} aggiornati, "
        f"{Project.objects.count():,} progetti in tutto, {time.perf_counter() - started:.2f} s"
    )

    client = Client()
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))

    def measure(published: int) -> dict:
        # Publication changes as the office pages make them (they move updated_at, which the cache follows).
        now = timezone.now()
        Project.objects.update(publication=Publication.DRAFT, updated_at=now)
        Project.objects.filter(pk__in=ids[:published]).update(publication=Publication.PUBLISHED, updated_at=now)
        cache.clear()
        params = {"ordina": "-costo", "fonte": "pnrr", "pagina": 3}
        connection.queries_log.clear()  # a full log (9,000 entries) would make the capture read 0
        with CaptureQueriesContext(connection) as cold_queries:
            t = time.perf_counter()
            cold = client.get("/progetti/", params)
            cold_ms = (time.perf_counter() - t) * 1000
        assert cold.status_code == 200, cold.status_code
        cold_count = len(cold_queries)
        with CaptureQueriesContext(connection) as warm_queries:
            client.get("/progetti/", params)
        warm_count = len(warm_queries)
        wall, cpu = [], []
        for n in range(30):
            t, c = time.perf_counter(), time.process_time()
            response = client.get("/progetti/", {**params, "pagina": 1 + n % 5})
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert response.status_code == 200
        return {
            "cold_ms": cold_ms,
            "median_ms": statistics.median(wall),
            "cpu_ms": statistics.median(cpu),
            "cold_queries": cold_count,
            "warm_queries": warm_count,
        }

    print(f"Carico della macchina (load average 1 min): {os.getloadavg()[0]:.1f} su {os.cpu_count()} CPU")
    small = measure(500)
    big = measure(CATALOGUE_PROJECTS)
    for label, figures in (("500", small), (f"{CATALOGUE_PROJECTS:,}", big)):
        print(
            f"/progetti/ con {label} progetti pubblicati: mediana {figures['median_ms']:.1f} ms "
            f"(CPU del processo web {figures['cpu_ms']:.1f} ms); prima visita a cache vuota {figures['cold_ms']:.1f} ms; "
            f"query: {figures['cold_queries']} a cache vuota, {figures['warm_queries']} dopo"
        )
    same_queries = (small["cold_queries"], small["warm_queries"]) == (big["cold_queries"], big["warm_queries"])
    print(f"Numero di query indipendente dal numero di progetti: {'sì' if same_queries else 'NO'}")
    ok = total <= 15 and rss <= 300 and big["median_ms"] <= 100 and same_queries
    print("Esito:", "tutti gli obiettivi raggiunti" if ok else "OBIETTIVI NON RAGGIUNTI")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
