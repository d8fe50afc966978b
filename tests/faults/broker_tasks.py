"""Tasks that only the fault tests' workers load (``celery worker -I tests.faults.broker_tasks``).

Each run appends a line to a file in ``folder``, so a test can tell when a task started, ended and how often.
"""

from __future__ import annotations

import time
from pathlib import Path

from celery import shared_task


def _mark(folder: str, name: str) -> None:
    with open(Path(folder) / name, "a") as handle:
        handle.write(f"{time.time()}\n")


@shared_task(name="faults.slow", ignore_result=True)
def slow(folder: str, seconds: float) -> None:
    _mark(folder, "slow.start")
    time.sleep(seconds)
    _mark(folder, "slow.done")


@shared_task(name="faults.ping", ignore_result=True)
def ping(folder: str, tag: str) -> None:
    _mark(folder, f"ping.{tag}")
