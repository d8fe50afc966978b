"""The worker survives a Redis outage: Redis is killed (SIGKILL) under a running task, stays down ~10 s and comes
back; the worker process is still alive, reconnects by itself and runs a task enqueued afterwards.

With the stock kombu transport (celery 5.7.0 + kombu 5.7.0) the worker logged "Unrecoverable error:
AttributeError('NoneType' object has no attribute 'hostname')" and exited: see ``psm_portal/lib/broker.py``.
The bug needs a prefork worker with a task running and a free slot, hence ``--concurrency=2``.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.conftest import skip_or_fail
from tests.processes import PortalProcess, RedisServer, wait_until

pytestmark = pytest.mark.faults

QUEUE = "psm-faults-broker"


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server non installato: il test del broker che cade richiede Redis")
    server = RedisServer(tmp_path / "redis")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def worker(redis_server, tmp_path):
    env = {"REDIS_URL": redis_server.url(0), "DATABASE_URL": "", "VAR_DIR": str(tmp_path / "var")}
    process = PortalProcess.worker(env=env, log=tmp_path / "worker.log", queue=QUEUE)
    # One task running and a free slot: the state in which the outage used to kill the worker.
    process.args = [("--concurrency=2" if arg.startswith("--concurrency") else arg) for arg in process.args]
    process.args += ["-I", "tests.faults.broker_tasks"]
    process.start()
    try:
        process.wait_for("ready.", timeout=90)
        yield process
    finally:
        process.stop()


@pytest.fixture
def enqueue(redis_server):
    """Send a task to the private Redis, as a web process would."""
    client = Celery("faults-client", broker=redis_server.url(0), set_as_current=False)
    client.conf.update(task_serializer="json", accept_content=["json"], broker_connection_retry_on_startup=True)

    def send(name: str, *args) -> None:
        client.send_task(name, args=list(args), queue=QUEUE)

    yield send
    client.close()


def test_the_worker_survives_a_redis_outage_and_reconnects(redis_server, worker, enqueue, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    enqueue("faults.slow", str(marks), 20)
    wait_until(lambda: _lines(marks / "slow.start") == 1, timeout=30, what="il task lento non parte", log=worker.log)

    before = len(worker.output())
    redis_server.kill()
    worker.wait_for("Connection to broker lost", timeout=30, after=before)
    time.sleep(10)
    assert worker.alive, worker.output()[before:]
    assert "Unrecoverable error" not in worker.output()[before:], worker.output()[before:]

    back = len(worker.output())
    redis_server.start()
    worker.wait_for("Connected to", timeout=60, after=back)
    enqueue("faults.ping", str(marks), "after")
    wait_until(
        lambda: _lines(marks / "ping.after") == 1,
        timeout=60,
        what="il worker non esegue un task inviato dopo il ritorno di Redis",
        log=worker.log,
    )
    wait_until(lambda: _lines(marks / "slow.done") == 1, timeout=30, what="il task lento non finisce", log=worker.log)
    assert worker.alive
    assert "Unrecoverable error" not in worker.output()
    assert _lines(marks / "slow.start") == 1  # the running task was not run a second time
