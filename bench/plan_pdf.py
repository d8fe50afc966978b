"""Benchmark of the plan document: 108 comuni, 60 objectives, 2,000 projects.

    .venv/bin/python bench/plan_pdf.py [--objectives 60] [--projects 2000] [--responses 400] [--requests 7]

The data are real rows written through the portal's models (``bench/plan_data.py``): an adopted
Vision, the objectives tree with indicators, projects with funding lines, comuni and objectives,
a questionnaire with responses, istanze. It prints:
- the time of the web request that asks for a new document over changed data (fingerprint of the
  data + version row + enqueue; the broker is Celery's in-memory transport, so no worker picks the
  job up), and of one over unchanged data (returns the existing document);
- the render as a worker runs it, split into the portal's own share (the freeze: the data's
  fingerprint and the providers' queries for the snapshot; then context, templates, charts and
  maps) and WeasyPrint's (layout and PDF writing), as wall-clock and CPU seconds.
It uses its own PostgreSQL database ``psm_bench_plan`` unless DATABASE_URL is set (created,
migrated and filled on the first run, reused afterwards), writes the PDF to a temporary folder
and deletes the documents it created. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/psm_bench_plan")
os.environ["REDIS_URL"] = ""  # in-memory broker: the request enqueues, nobody consumes
os.environ.setdefault("AXES_ENABLED", "false")

TARGET_RENDER_S = 60.0
TARGET_PORTAL_SHARE = 0.25
TARGET_REQUEST_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=60)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--responses", type=int, default=400)
    parser.add_argument("--requests", type=int, default=7)
    args = parser.parse_args()
    from benchdb import ensure_database

    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    import plan_data
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    from municipalities.models import Municipality
    from plan.document import render_plan_pdf
    from plan.models import PlanDocument
    from plan.sections import fingerprint
    from plan.services import plan_render, plan_snapshot
    from psm_portal.accounts.models import Role, User
    from psm_portal.celery import app

    call_command("migrate", verbosity=0)
    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    app.conf.task_always_eager = False
    started = time.perf_counter()
    if plan_data.seed(objectives=args.objectives, projects=args.projects, responses=args.responses):
        print(f"Dati del piano scritti nel database in {time.perf_counter() - started:.0f} s")

    media = tempfile.mkdtemp(prefix="psm-bench-")
    overrides = override_settings(
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
        },
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
    )
    overrides.enable()
    before = set(PlanDocument.objects.values_list("pk", flat=True))
    user, _ = User.objects.get_or_create(email="bench-team@bench.local", defaults={"role": Role.TEAM})
    client = Client()
    client.force_login(user, backend="psm_portal.accounts.backends.RoleBackend")
    try:
        # --- The request: each one over new data (another title), so each really makes a new version.
        with override_settings(PSM_PLAN_TITLE="Piano Strategico Metropolitano di Messina (primo)"):
            started = time.perf_counter()
            client.post(reverse("plan:render"), {"kind": "final"})
            cold_ms = (time.perf_counter() - started) * 1000
        request_ms, request_cpu_ms = [], []
        for index in range(args.requests):
            with override_settings(PSM_PLAN_TITLE=f"Piano Strategico Metropolitano di Messina ({index})"):
                started, cpu = time.perf_counter(), time.process_time()
                response = client.post(reverse("plan:render"), {"kind": "final"})
                request_ms.append((time.perf_counter() - started) * 1000)
                request_cpu_ms.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 302, response.status_code
        created = PlanDocument.objects.exclude(pk__in=before).count()
        assert created == args.requests + 1, created
        # And over unchanged data: the existing document comes back.
        same_ms = []
        with override_settings(PSM_PLAN_TITLE=f"Piano Strategico Metropolitano di Messina ({args.requests - 1})"):
            for _ in range(3):
                started = time.perf_counter()
                response = client.post(reverse("plan:render"), {"kind": "final"})
                same_ms.append((time.perf_counter() - started) * 1000)
        assert PlanDocument.objects.exclude(pk__in=before).count() == created
        document = PlanDocument.objects.exclude(pk__in=before).order_by("-pk").first()

        # --- The render, as the worker does it: the freeze (fingerprint and snapshot), then the PDF.
        started, cpu = time.perf_counter(), time.process_time()
        fingerprint("final")
        snapshot = plan_snapshot(kind="final")
        snapshot_s, snapshot_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        result = render_plan_pdf(snapshot, kind="final", version=document.version, created=document.requested_at)
        render_wall, render_cpu = time.perf_counter() - started, time.process_time() - cpu
        # And once through the service (claim, storage, final UPDATE) to check the whole path.
        started = time.perf_counter()
        finished = plan_render(document_id=document.pk)
        service_wall = time.perf_counter() - started

        objectives = snapshot["sections"]["objectives"]["items"]
        projects = sum(len(n["projects"]) for n in _walk(objectives))
        portal = snapshot_s + result.timings.portal
        total = snapshot_s + render_wall
        share = portal / total
        load = os.getloadavg()[0]
        print(f"Macchina: {os.cpu_count()} CPU, carico medio {load:.1f} durante la misura")
        print(f"Dati: {len(snapshot['sections']['municipalities']['items'])} comuni, "
              f"{sum(1 for _ in _walk(objectives))} obiettivi, {projects} progetti")  # fmt: skip
        print(f"PDF: {result.pages} pagine, {len(result.pdf) / 1e6:.1f} MB, SHA-256 {result.sha256}")
        print(
            f"Richiesta web su dati cambiati (impronta + versione + accodamento), {args.requests} richieste: "
            f"mediana {statistics.median(request_ms):.0f} ms, massimo {max(request_ms):.0f} ms "
            f"(CPU del processo: mediana {statistics.median(request_cpu_ms):.0f} ms); la prima {cold_ms:.0f} ms"
        )
        print(f"Richiesta web su dati invariati (restituisce il documento esistente): mediana "
              f"{statistics.median(same_ms):.0f} ms")  # fmt: skip
        print(f"Dati fissati dal worker (impronta e query dei provider): {snapshot_s:.2f} s")
        for step, seconds in result.timings.steps.items():
            print(f"  {step:<10} {seconds:7.2f} s")
        print(f"Totale preparazione: {total:.1f} s di orologio, {snapshot_cpu + render_cpu:.1f} s di CPU")
        print(f"Quota del portale (query, modelli, grafici e mappe): {portal:.2f} s = {share:.1%}")
        print(f"WeasyPrint (impaginazione e scrittura PDF): {result.timings.layout:.1f} s = {1 - share:.1%}")
        print(f"Percorso completo del worker (claim, storage, UPDATE finale): {service_wall:.1f} s, "
              f"stato {finished.status}, stesso SHA-256: {finished.sha256 == result.sha256}")  # fmt: skip
        checks = [
            ("preparazione ≤ 60 s", total <= TARGET_RENDER_S),
            ("quota del portale ≤ 25 %", share <= TARGET_PORTAL_SHARE),
            ("richiesta ≤ 100 ms (mediana)", statistics.median(request_ms) <= TARGET_REQUEST_MS),
        ]
        for label, ok in checks:
            print(f"[{'OK' if ok else 'NO'}] {label}")
        return 0 if all(ok for _, ok in checks) else 1
    finally:
        PlanDocument.objects.exclude(pk__in=before).delete()
        user.delete()
        overrides.disable()


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children") or [])


if __name__ == "__main__":
    sys.exit(main())
