"""Benchmark of the citizen questionnaire through the real HTTP stack (gunicorn + PostgreSQL).

    .venv/bin/python bench/questionnaire.py [--clients 32] [--submissions 1600] [--responses 100000]

1. Submissions: concurrent clients on 127.0.0.1 post the last section of the questionnaire (the
   request that stores a response), each with its own session prepared beforehand through the
   privacy page and the earlier sections, and the last section's page loaded as a browser does
   (its form carries the earlier answers). Beside it, in the same run and with the same clients,
   a bare Django view that does one INSERT. Prints submissions/s, p50/p95 latency, lost responses
   (rows stored vs 2xx/3xx answers) and the CPU each request costs per group of processes
   (gunicorn's workers, PostgreSQL, Redis, the clients; from /proc). Then the worker's share,
   measured apart: the time to spread the responses just stored into answers and counts.
2. Results page: a 20-question questionnaire with 100,000 generated responses (and one with 1,000):
   median time of the public results page over HTTP, and the number of SQL queries at both sizes.

Uses its own database and Redis db (psm_issue4, redis db 4) unless DATABASE_URL / REDIS_URL are set.
Every loop is bounded; gunicorn is started and stopped by this script only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/psm_issue4")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SURVEYS_RATE_LIMIT", "0")  # every client is 127.0.0.1: the limit would stop the bench
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8040"))
from benchdb import ensure_database  # noqa: E402

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARRIED = re.compile(r'name="stato" value="([^"]+)"')


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from municipalities.models import Municipality

    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, created_at timestamptz DEFAULT now(), payload text)"
        )
    # The listening phase (which opens the questionnaire) must be active now.
    from datetime import timedelta

    from django.utils import timezone

    from phases.models import Phase

    now = timezone.now()
    listening = Phase.objects.get(key="listening")
    if not listening.is_active(now):
        Phase.objects.exclude(key="listening").update(
            starts_at=now + timedelta(days=400), ends_at=now + timedelta(days=500)
        )
        listening.starts_at, listening.ends_at = now - timedelta(days=1), now + timedelta(days=60)
        listening.save()


# --- HTTP -------------------------------------------------------------------------


class Browser:
    """A cookie jar and one request at a time (gunicorn's sync workers close each connection)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: list[tuple[str, str]] | str | None = None) -> tuple[int, str, str]:
        """``data`` may come already encoded: the timed loops encode their bodies beforehand, so the
        clients, which share the machine's CPUs with the server, spend on each request only sending it."""
        connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
        headers = {"Host": f"{HOST}:{PORT}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = data if isinstance(data, str) else urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        text = reply.read().decode("utf-8", "replace")
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        location = reply.getheader("Location", "")
        connection.close()
        return reply.status, location, text


def start_gunicorn(workers: int) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="questionnaire_site", PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "psm_portal.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):  # bounded wait for the port
        try:
            http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/healthz")
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn non è partito")


def stop_gunicorn(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def run_concurrently(jobs: list, clients: int, work) -> tuple[list[float], list[int], float]:
    """Run ``work(job) -> status`` over the jobs from ``clients`` threads; latencies in ms."""
    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def client():
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            try:
                status = work(job)
            except Exception:  # counted as a failure, the run goes on
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


# --- CPU per process group (Linux /proc) ---------------------------------------------------

CPU_GROUPS = ("gunicorn", "postgres", "redis", "clients")


def cpu_seconds(gunicorn_pid: int) -> dict[int, tuple[str, float]]:
    """CPU time used so far by each process of the run: gunicorn's workers, PostgreSQL's backends,
    Redis, and this script (the clients). Empty where /proc is missing."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    found: dict[int, tuple[str, float]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)
            with open(f"/proc/{entry}/cmdline", "rb") as cmd:
                command = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        name = fields[0].split("(", 1)[1]
        rest = fields[1].split()
        used = (int(rest[11]) + int(rest[12])) / ticks
        pid, parent = int(entry), int(rest[1])
        if parent == gunicorn_pid:
            group = "gunicorn"
        elif name.startswith("postgres") or command.startswith("postgres"):
            group = "postgres"
        elif name.startswith("redis"):
            group = "redis"
        elif pid == os.getpid():
            group = "clients"
        else:
            continue
        found[pid] = (group, used)
    return found


def add_cpu(total: dict, before: dict, after: dict) -> dict:
    total = dict(total)
    for pid, (group, used) in after.items():
        total[group] = total.get(group, 0.0) + used - before.get(pid, (group, 0.0))[1]
    return total


def purge_queue() -> None:
    """Drop the spreading tasks the web processes queued (no worker consumes this Redis db here)."""
    from psm_portal.celery import app

    with app.connection_for_write() as connection:
        app.amqp.queues[app.conf.task_default_queue].bind(connection.default_channel).purge()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- Submissions --------------------------------------------------------------------


def submission_bench(clients: int, submissions: int) -> dict:
    from surveys.factories import every_kind_questionnaire
    from surveys.models import Answer, Kind, Questionnaire, Response
    from surveys.spreading import responses_spread_all

    questionnaire = Questionnaire.objects.filter(slug="bench-invio").first() or every_kind_questionnaire(
        slug="bench-invio", title="Bench: invio"
    )
    questions = list(questionnaire.questions.select_related("section").prefetch_related("options"))

    def q(kind, n=0):
        return sorted((x for x in questions if x.kind == kind), key=lambda x: (x.section.order, x.order))[n]

    def opt(question, label):
        return str(next(o.pk for o in question.options.all() if o.label == label))

    single, multiple, ranking = q(Kind.SINGLE), q(Kind.MULTIPLE), q(Kind.RANKING)
    from municipalities.models import Municipality

    # Residence and age vary as they would: the running counts are spread over their cells.
    codes = list(Municipality.objects.order_by("-population").values_list("istat_code", flat=True))
    ages = [str(o.pk) for o in q(Kind.AGE_BAND).options.all()]
    sections = [
        [
            (f"q{q(Kind.YES_NO).pk}", opt(q(Kind.YES_NO), "Sì")),
            (f"q{q(Kind.NUMBER).pk}", "45"),
        ],
        [
            (f"q{single.pk}", opt(single, "Autobus")),
            (f"q{multiple.pk}", opt(multiple, "Trasporti")),
            (f"q{multiple.pk}", opt(multiple, "Altro")),
            (f"q{multiple.pk}_other", "Sanità"),
            (f"q{ranking.pk}_r1", opt(ranking, "Porti")),
            (f"q{ranking.pk}_r2", opt(ranking, "Strade")),
            (f"q{ranking.pk}_r3", opt(ranking, "Digitale")),
        ],
        [
            (f"q{q(Kind.LIKERT).pk}", "4"),
            (f"q{q(Kind.SHORT_TEXT, 0).pk}", "Messina–Milazzo"),
            (f"q{q(Kind.SHORT_TEXT, 1).pk}", "Stretto"),
            (f"q{q(Kind.LONG_TEXT).pk}", "Più treni e meno code agli imbarchi."),
        ],
    ]
    base = f"/questionario/{questionnaire.slug}/"

    def prepare(index):
        first = [
            (f"q{q(Kind.MUNICIPALITY).pk}", codes[(index * 7) % len(codes)]),
            (f"q{q(Kind.AGE_BAND).pk}", ages[index % len(ages)]),
        ]
        browser = Browser()
        status, _location, html = browser.request("GET", base)
        token = TOKEN.search(html).group(1)
        browser.request("POST", base, [("csrfmiddlewaretoken", token), ("privacy", "on")])
        for number, data in enumerate([first + sections[0], sections[1]], start=1):
            status, location, _html = browser.request(
                "POST", f"{base}sezione/{number}/", [("csrfmiddlewaretoken", token), *data]
            )
            if status != 302:
                raise RuntimeError(f"sezione {number}: {status}")
        # The last section's page, as a browser loads it before the citizen fills it in: its form
        # carries the earlier answers (signed), sent back with the last ones.
        status, _location, html = browser.request("GET", f"{base}sezione/3/")
        carried = CARRIED.search(html)
        if status != 200 or carried is None:
            raise RuntimeError(f"sezione 3: {status}")
        return browser, [("csrfmiddlewaretoken", token), ("stato", carried.group(1))]

    prepared: list = []
    lock = threading.Lock()

    def prepare_job(job):
        result = prepare(job)
        with lock:
            prepared.append(result)
        return 302

    gunicorn = start_gunicorn(int(os.environ.get("BENCH_WORKERS", "4")))
    try:
        # Warm up both paths on every worker.
        run_concurrently(list(range(40)), 8, lambda _: Browser().request("POST", "/bench/bare/", [("payload", "w")])[0])
        prep_latencies, _s, prep_elapsed = run_concurrently(list(range(submissions + 40)), clients, prepare_job)
        warm, prepared[:] = prepared[:40], prepared[40:]
        run_concurrently(
            warm,
            8,
            lambda job: job[0].request("POST", f"{base}sezione/3/", [*job[1], *sections[2]])[0],
        )

        def count_bare():
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM bench_bare")
                return cursor.fetchone()[0]

        payload = urllib.parse.urlencode([("payload", "x" * 400)])  # about the size of the last section's form
        last = urllib.parse.urlencode(sections[2])
        prepared[:] = [(browser, f"{urllib.parse.urlencode(hidden)}&{last}") for browser, hidden in prepared]

        def submit(job):
            browser, body = job
            status, location, _html = browser.request("POST", f"{base}sezione/3/", body)
            return status if location.endswith("/grazie/") else -status

        # The machine's load drifts: the two measures alternate in rounds, and each sums its rounds.
        rounds = 2
        bare_lat, bare_status, bare_elapsed, bare_cpu = [], [], 0.0, {}
        sub_lat, sub_status, sub_elapsed, sub_cpu = [], [], 0.0, {}
        bare_before = count_bare()
        before = Response.objects.filter(questionnaire=questionnaire).count()
        for number in range(rounds):
            started = cpu_seconds(gunicorn.pid)
            lat, status, elapsed = run_concurrently(
                list(range(submissions // rounds)),
                clients,
                lambda _: Browser().request("POST", "/bench/bare/", payload)[0],
            )
            bare_cpu = add_cpu(bare_cpu, started, cpu_seconds(gunicorn.pid))
            bare_lat, bare_status, bare_elapsed = bare_lat + lat, bare_status + status, bare_elapsed + elapsed
            started = cpu_seconds(gunicorn.pid)
            lat, status, elapsed = run_concurrently(prepared[number::rounds], clients, submit)
            sub_cpu = add_cpu(sub_cpu, started, cpu_seconds(gunicorn.pid))
            sub_lat, sub_status, sub_elapsed = sub_lat + lat, sub_status + status, sub_elapsed + elapsed
        bare_rows = count_bare() - bare_before
        stored = Response.objects.filter(questionnaire=questionnaire).count() - before
    finally:
        stop_gunicorn(gunicorn)
    # The worker's share, measured apart: the responses just stored are spread into answers and counts
    # as ``surveys.tasks.spread_responses`` does (the web processes asked for it; no worker runs here).
    waiting = list(Response.objects.filter(questionnaire=questionnaire).pending().values_list("pk", flat=True))
    pending = len(waiting)
    started = time.perf_counter()
    spread = responses_spread_all(questionnaire_id=questionnaire.pk)
    spread_seconds = time.perf_counter() - started
    purge_queue()
    answers_per_response = Answer.objects.filter(response__in=waiting).count() / max(1, pending)
    ok_bare = sum(1 for s in bare_status if 200 <= s < 400)
    ok_sub = sum(1 for s in sub_status if 200 <= s < 400)
    return {
        "clients": clients,
        "bare": {
            "requests": len(bare_status),
            "ok": ok_bare,
            "rows": bare_rows,
            "per_s": ok_bare / bare_elapsed,
            "p50": percentile(bare_lat, 50),
            "p95": percentile(bare_lat, 95),
            "cpu": {k: v / max(1, len(bare_status)) for k, v in bare_cpu.items()},
        },
        "submit": {
            "requests": len(sub_status),
            "ok": ok_sub,
            "rows": stored,
            "per_s": ok_sub / sub_elapsed,
            "p50": percentile(sub_lat, 50),
            "p95": percentile(sub_lat, 95),
            "answers_per_response": answers_per_response,
            "cpu": {k: v / max(1, len(sub_status)) for k, v in sub_cpu.items()},
        },
        "spread": {"pending": pending, "spread": spread, "seconds": spread_seconds},
        "flow": {"per_s": len(prep_latencies) / prep_elapsed, "p50": percentile(prep_latencies, 50)},
    }


# --- Results page ----------------------------------------------------------------------


def results_questionnaire(slug: str, responses: int):
    """A 20-question questionnaire with ``responses`` generated in SQL (kept between runs)."""
    from django.db import connection, transaction

    from surveys.factories import QuestionFactory, QuestionnaireFactory, SectionFactory
    from surveys.models import Kind, Questionnaire

    questionnaire = Questionnaire.objects.filter(slug=slug).first()
    if questionnaire is not None and questionnaire.responses.count() == responses:
        return questionnaire
    if questionnaire is not None:
        raise SystemExit(f"{slug} esiste con un numero diverso di risposte: cancellare il database psm_issue4")
    with transaction.atomic():
        questionnaire = QuestionnaireFactory(slug=slug, title=f"Bench: risultati ({responses})", results_published=True)
        a = SectionFactory(questionnaire=questionnaire, title="Chi sei", order=1)
        b = SectionFactory(questionnaire=questionnaire, title="Priorità", order=2)
        c = SectionFactory(questionnaire=questionnaire, title="Opinioni", order=3)
        six = ["Strade", "Porti", "Scuole", "Dissesto", "Digitale", "Sanità"]
        questions = [
            QuestionFactory(section=a, kind=Kind.MUNICIPALITY, text="Comune", order=1),
            QuestionFactory(section=a, kind=Kind.AGE_BAND, text="Età", order=2),
            QuestionFactory(section=a, kind=Kind.YES_NO, text="Pendolare?", order=3),
            QuestionFactory(section=a, kind=Kind.NUMBER, text="Anni di residenza", min_value=0, max_value=100, order=4),
        ]
        for i in range(4):
            questions.append(
                QuestionFactory(
                    section=b, kind=Kind.SINGLE, text=f"Scelta {i}", options=["A", "B", "C", "D", "E"], order=10 + i
                )
            )
        for i in range(3):
            questions.append(
                QuestionFactory(
                    section=b, kind=Kind.MULTIPLE, text=f"Multipla {i}", options=six, max_choices=3, order=20 + i
                )
            )
        for i in range(2):
            questions.append(
                QuestionFactory(
                    section=b, kind=Kind.RANKING, text=f"Classifica {i}", options=six, rank_top=3, order=30 + i
                )
            )
        for i in range(4):
            questions.append(QuestionFactory(section=c, kind=Kind.LIKERT, text=f"Scala {i}", order=40 + i))
        questions.append(
            QuestionFactory(section=c, kind=Kind.NUMBER, text="Figli", min_value=0, max_value=10, order=50)
        )
        questions.append(QuestionFactory(section=c, kind=Kind.SHORT_TEXT, text="Una parola", required=False, order=51))
        questions.append(QuestionFactory(section=c, kind=Kind.LONG_TEXT, text="Proposte", required=False, order=52))
        assert len(questions) == 20
        by_kind: dict[str, list] = {}
        for question in questions:
            by_kind.setdefault(question.kind, []).append(question)
        age = by_kind[Kind.AGE_BAND][0]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO surveys_response (id, questionnaire_id, submitted_on, municipality_id, resident_elsewhere, age_band_id)
                SELECT gen_random_uuid(), %s, current_date - (random() * 30)::int,
                       CASE WHEN s.r < 0.05 THEN NULL ELSE c.codes[1 + floor(random() * 108)::int] END, s.r < 0.05,
                       a.ages[1 + floor(random() * 8)::int]
                FROM (SELECT random() AS r FROM generate_series(1, %s)) s,
                     (SELECT array_agg(istat_code ORDER BY istat_code) AS codes FROM municipalities_municipality) c,
                     (SELECT array_agg(id ORDER BY "order") AS ages FROM surveys_option WHERE question_id = %s) a
                """,
                [questionnaire.pk, responses, age.pk],
            )
            cursor.execute(
                "CREATE TEMP TABLE rr ON COMMIT DROP AS SELECT id, floor(random() * 6)::int AS s, "
                "1 + floor(random() * 3)::int AS c FROM surveys_response WHERE questionnaire_id = %s",
                [questionnaire.pk],
            )
            insert = (
                "INSERT INTO surveys_answer (response_id, question_id, option_id, number, rank, municipality_id, text) "
            )
            cursor.execute(
                insert
                + "SELECT id, %s, NULL, NULL, NULL, municipality_id, '' FROM surveys_response WHERE questionnaire_id = %s",
                [by_kind[Kind.MUNICIPALITY][0].pk, questionnaire.pk],
            )
            cursor.execute(
                insert
                + "SELECT id, %s, age_band_id, NULL, NULL, NULL, '' FROM surveys_response WHERE questionnaire_id = %s",
                [age.pk, questionnaire.pk],
            )
            for question in by_kind[Kind.YES_NO] + by_kind[Kind.SINGLE]:
                options = [o.pk for o in question.options.all()]
                cursor.execute(
                    insert
                    + "SELECT id, %s, (%s::bigint[])[1 + floor(random() * %s)::int], NULL, NULL, NULL, '' FROM rr",
                    [question.pk, options, len(options)],
                )
            for question in by_kind[Kind.NUMBER]:
                cursor.execute(
                    insert + "SELECT id, %s, NULL, %s + floor(random() * %s)::int, NULL, NULL, '' FROM rr",
                    [question.pk, question.min_value, question.max_value - question.min_value + 1],
                )
            for question in by_kind[Kind.LIKERT]:
                cursor.execute(
                    insert + "SELECT id, %s, NULL, 1 + floor(random() * 5)::int, NULL, NULL, '' FROM rr", [question.pk]
                )
            for question in by_kind[Kind.MULTIPLE]:
                options = [o.pk for o in question.options.all()]
                cursor.execute(
                    insert + "SELECT rr.id, %s, (%s::bigint[])[1 + (rr.s + k) %% 6], NULL, NULL, NULL, '' "
                    "FROM rr, generate_series(0, 2) k WHERE k < rr.c",
                    [question.pk, options],
                )
            for question in by_kind[Kind.RANKING]:
                options = [o.pk for o in question.options.all()]
                cursor.execute(
                    insert
                    + "SELECT rr.id, %s, (%s::bigint[])[1 + (rr.s + k * (CASE WHEN rr.c = 2 THEN 5 ELSE 1 END)) %% 6], "
                    "NULL, k + 1, NULL, '' FROM rr, generate_series(0, 2) k",
                    [question.pk, options],
                )
            for question, texts in (
                (by_kind[Kind.SHORT_TEXT][0], ["Mare", "Stretto", "Isole", "Nebrodi"]),
                (by_kind[Kind.LONG_TEXT][0], ["Più treni.", "Strade sicure.", "Lavoro per i giovani."]),
            ):
                cursor.execute(
                    insert + "SELECT id, %s, NULL, NULL, NULL, NULL, (%s::text[])[1 + floor(random() * %s)::int] "
                    "FROM rr WHERE random() < 0.4",
                    [question.pk, texts, len(texts)],
                )
    from surveys.tallies import tally_rebuild

    tally_rebuild(questionnaire=questionnaire)
    with connection.cursor() as cursor:
        for table in ("surveys_answer", "surveys_response", "surveys_tally"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return questionnaire


def query_count(questionnaire, params: dict | None = None) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(f"/questionario/{questionnaire.slug}/risultati/", params or {})  # fills the per-process caches
    with CaptureQueriesContext(connection) as captured:
        reply = client.get(f"/questionario/{questionnaire.slug}/risultati/", params or {})
    assert reply.status_code == 200, reply.status_code
    return len(captured.captured_queries)


def results_bench(responses: int, repeats: int) -> dict:
    from django.db import connection

    big = results_questionnaire("bench-risultati-grande", responses)
    small = results_questionnaire("bench-risultati-piccolo", 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id WHERE q.questionnaire_id = %s",
            [big.pk],
        )
        answer_rows = cursor.fetchone()[0]
    counts = {
        "small": query_count(small),
        "big": query_count(big),
        "small_filtered": query_count(small, {"comune": "083048", "eta": ""}),
        "big_filtered": query_count(big, {"comune": "083048"}),
    }
    gunicorn = start_gunicorn(2)
    timings: dict[str, list[float]] = {}
    try:
        for label, query in (("all", ""), ("messina", "?comune=083048")):
            path = f"/questionario/{big.slug}/risultati/{query}"
            for _ in range(3):
                Browser().request("GET", path)
            values = []
            for _ in range(repeats):
                started = time.perf_counter()
                status, _location, html = Browser().request("GET", path)
                values.append((time.perf_counter() - started) * 1000)
                assert status == 200, status
            timings[label] = values
    finally:
        stop_gunicorn(gunicorn)
    return {"responses": responses, "answers": answer_rows, "queries": counts, "timings": timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--submissions", type=int, default=1600)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--skip-submissions", action="store_true")
    parser.add_argument("--skip-results", action="store_true")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.conf import settings

    print(
        f"CPU: {os.cpu_count()} · gunicorn sync workers: {os.environ.get('BENCH_WORKERS', '4')} · {HOST}:{PORT} · "
        f"sessions: {settings.SESSION_ENGINE.rsplit('.', 1)[-1]}"
    )
    if not args.skip_submissions:
        s = submission_bench(args.clients, args.submissions)
        bare, sub = s["bare"], s["submit"]
        print(f"\nInvio delle risposte — {s['clients']} client concorrenti, {sub['requests']} invii")
        print(f"{'':32} {'richieste/s':>12} {'p50 ms':>8} {'p95 ms':>8} {'2xx/3xx':>8} {'righe':>8} {'perse':>6}")
        print(
            f"{'vista nuda (1 INSERT)':32} {bare['per_s']:12.1f} {bare['p50']:8.1f} {bare['p95']:8.1f} "
            f"{bare['ok']:8d} {bare['rows']:8d} {bare['ok'] - bare['rows']:6d}"
        )
        print(
            f"{'invio ultima sezione (risposta)':32} {sub['per_s']:12.1f} {sub['p50']:8.1f} {sub['p95']:8.1f} "
            f"{sub['ok']:8d} {sub['rows']:8d} {sub['ok'] - sub['rows']:6d}"
        )
        print(f"rapporto invio / vista nuda: {100 * sub['per_s'] / bare['per_s']:.0f} %")
        if bare["cpu"]:
            print("CPU per richiesta (ms):  " + "  ".join(f"{g:>9}" for g in CPU_GROUPS) + "     totale")
            for label, side in (("vista nuda", bare), ("invio", sub)):
                values = [1000 * side["cpu"].get(g, 0.0) for g in CPU_GROUPS]
                print(f"  {label:22}" + "  ".join(f"{v:9.3f}" for v in values) + f"  {sum(values):9.3f}")
        spread = s["spread"]
        print(
            f"lavoro del worker, misurato a parte: {spread['spread']} risposte in attesa ({spread['pending']}) "
            f"distribuite in valori e conteggi in {spread['seconds']:.2f} s "
            f"({1000 * spread['seconds'] / max(1, spread['spread']):.2f} ms per risposta)"
        )
        print(f"valori salvati per risposta: {sub['answers_per_response']:.1f}")
        print(
            f"percorso completo (informativa + 2 sezioni, preparazione): {s['flow']['per_s']:.1f} persone/s, "
            f"p50 {s['flow']['p50']:.0f} ms"
        )
    if not args.skip_results:
        r = results_bench(args.responses, args.repeats)
        print(f"\nPagina dei risultati — questionario di 20 domande, {r['responses']} risposte, {r['answers']} valori")
        for label, values in r["timings"].items():
            name = "senza filtri" if label == "all" else "filtro comune = Messina"
            print(
                f"  {name:26} mediana {statistics.median(values):7.1f} ms · p95 {percentile(values, 95):7.1f} ms "
                f"({len(values)} richieste)"
            )
        q = r["queries"]
        print(
            f"  query SQL per pagina: {q['small']} con 1.000 risposte, {q['big']} con {r['responses']}; "
            f"con filtri {q['small_filtered']} / {q['big_filtered']}"
        )


if __name__ == "__main__":
    main()
