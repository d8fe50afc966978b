"""Real processes that the fault tests start, kill and start again, each on a private port.

- ``RedisServer``: a redis-server of its own (append-only file on, as production should run it), so
  killing it never touches the Redis other tests use.
- ``PostgresServer``: a throw-away PostgreSQL cluster (``initdb`` as the ``postgres`` user) for the
  tests that take the database away.
- ``PortalProcess``: a Celery worker, a beat or the web server (``manage.py runserver``) started with
  the environment a test gives it, its output in a log file the test can wait on.

Every helper kills what it started when the test ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], object], *, timeout: float, what: str, log: Path | None = None):
    """Poll ``check`` until it returns something truthy; fail with ``what`` (and the log's tail) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    tail = ""
    if log is not None and log.exists():
        tail = "\n--- " + str(log) + " ---\n" + log.read_text(errors="replace")[-4000:]
    raise AssertionError(f"Dopo {timeout:.0f} s: {what}{tail}")


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        log = open(self.workdir / "redis.log", "a")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"]
            + ["--dir", str(self.workdir), "--daemonize", "no"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: port_open(self.port), timeout=10, what="Redis non risponde", log=self.workdir / "redis.log")
        return self

    def kill(self) -> None:
        """SIGKILL: the way a crashed or OOM-killed Redis goes away."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_until(lambda: not port_open(self.port), timeout=5, what="Redis ancora in ascolto")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.kill()


class PostgresServer:
    """A private PostgreSQL cluster owned by the ``postgres`` user (initdb refuses to run as root)."""

    def __init__(self):
        self.port = free_port()
        # Its own folder right under /tmp: the postgres user must reach it (a test's tmp_path is root's only).
        self.workdir = Path(tempfile.mkdtemp(prefix="psm-faults-pg-", dir="/tmp"))
        self.data = self.workdir / "data"
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.log = self.workdir / "postgres.log"

    def _as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> PostgresServer:
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        return self

    def start(self) -> PostgresServer:
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start"
        )
        wait_until(lambda: port_open(self.port), timeout=20, what="PostgreSQL non risponde", log=self.log)
        return self

    def kill(self) -> None:
        """Immediate shutdown (the server goes away, every connection breaks)."""
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        wait_until(lambda: not port_open(self.port), timeout=10, what="PostgreSQL ancora in ascolto")

    def createdb(self, name: str) -> None:
        self._as_postgres(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


class PortalProcess:
    """``python -m celery -A psm_portal worker …``, ``… beat …`` or ``manage.py runserver``, with its own environment."""

    def __init__(self, args: list[str], *, env: dict[str, str], log: Path):
        self.args = args
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "psm_portal.settings", **env}
        self.log = Path(log)
        self.process: subprocess.Popen | None = None

    @classmethod
    def worker(cls, *, env: dict[str, str], log: Path, queue: str, name: str = "faults") -> PortalProcess:
        args = [sys.executable, "-m", "celery", "-A", "psm_portal", "worker", "--pool=prefork", "--concurrency=1"]
        args += ["--loglevel=INFO", "-Q", queue, "-n", f"{name}-{queue}@%h"]
        return cls(args, env={**env, "CELERY_QUEUE": queue}, log=log)

    @classmethod
    def web(cls, *, env: dict[str, str], log: Path, port: int) -> PortalProcess:
        return cls([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, log=log)

    def start(self) -> PortalProcess:
        handle = open(self.log, "a")
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, text: str, *, timeout: float = 60, after: int = 0) -> None:
        """Wait until ``text`` appears in the log past position ``after`` (``len(output())`` before an action)."""
        wait_until(lambda: text in self.output()[after:], timeout=timeout, what=f"«{text}» nel log", log=self.log)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the whole process group: a prefork worker's children go with it, as on a crashed machine."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)
        self.kill(signal.SIGKILL)
