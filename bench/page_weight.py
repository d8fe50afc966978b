"""Bytes a visitor downloads, in production mode, measured by Chromium.

The portal runs as it does in production: DEBUG=0, ``collectstatic`` into a throw-away STATIC_ROOT,
WhiteNoise serving the static files, a real gunicorn process, the demo data on a throw-away SQLite
database. Chromium (Debian's, through Playwright) then visits, in one browser context:

1. the home page, with an empty cache (a first visit);
2. a second page, /progetti/, with the cache as the first visit left it;
3. /comuni/, with its map of the 108 comuni, the cache warm too.

Each figure is the sum of the bytes that came over the network (headers and encoded bodies, from the
DevTools protocol's ``encodedDataLength``); a file Chromium takes from its cache costs nothing. The
script prints each page's figure, its requests, and whether it meets the target.

Run: .venv/bin/python bench/page_weight.py            (this checkout's code)
     .venv/bin/python bench/page_weight.py --root DIR  (another checkout of the portal, e.g. main's, with
                                                        this checkout's Python environment)
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8047"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (label, path, target in KB)
PAGES = [
    ("prima visita, home page", "/", 300),
    ("seconda pagina, /progetti/", "/progetti/", 40),
    ("/comuni/ con la mappa", "/comuni/", 120),
]


def environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="psm_portal.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(root: Path, python: Path, env: dict[str, str]) -> None:
    for command in (
        ["migrate", "--noinput"],
        ["load_municipalities"],
        ["seed_demo"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [str(python), "manage.py", *command, "-v", "0"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL
        )


def start_server(root: Path, gunicorn: Path, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(gunicorn), "psm_portal.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", "2", "--log-level", "warning"],
        cwd=root,
        env=env,
        start_new_session=True,
    )
    for _ in range(150):  # bounded wait for the port
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn non è partito")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def visit(page, cdp, path: str) -> tuple[int, list[tuple[str, int]]]:
    """Load ``path`` and wait for the network to settle; the bytes that came over the network, per request."""
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(f"http://{HOST}:{PORT}{path}", wait_until="networkidle")
    page.wait_for_timeout(300)
    rows = [(urls.get(request_id, "?"), size) for request_id, size in sizes.items()]
    return sum(size for _, size in rows), rows


def measure(show_requests: bool) -> list[tuple[str, float, int]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for label, path, target in PAGES:
            # One DevTools session per page: each counts only its own page's requests.
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            total, rows = visit(page, cdp, path)
            cdp.detach()
            results.append((label, total / 1024, target))
            if show_requests:
                for url, size in sorted(rows, key=lambda row: -row[1]):
                    print(f"    {size / 1024:8.1f} KB  {url.removeprefix(f'http://{HOST}:{PORT}')[:110]}")
            print(f"{label:32} {total / 1024:8.1f} KB  ({len(rows)} richieste; obiettivo ≤ {target} KB)", flush=True)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout whose code is measured")
    parser.add_argument("--requests", action="store_true", help="list every request with its bytes")
    args = parser.parse_args()
    root = args.root.resolve()
    python = Path(sys.executable)
    gunicorn = python.parent / "gunicorn"
    with tempfile.TemporaryDirectory(prefix="psm-page-weight-") as tmp:
        env = environment(Path(tmp))
        print(f"codice: {root}", flush=True)
        prepare(root, python, env)
        server = start_server(root, gunicorn, env)
        try:
            results = measure(args.requests)
        finally:
            stop_server(server)
    met = [total <= target for _, total, target in results]
    print("obiettivi raggiunti" if all(met) else f"obiettivi mancati: {met.count(False)} su {len(met)}")


if __name__ == "__main__":
    main()
