"""The systemd units under deploy/: restarted for ever, an environment file, a stop timeout that lets tasks end."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = ["psm-web.service", "psm-worker.service", "psm-beat.service"]


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text())
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_every_service_restarts_for_ever_with_the_shared_environment(name):
    unit = _unit(name)
    service = unit["Service"]
    assert service["Restart"] == "always"
    assert service["RestartSec"] == "5"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert service["EnvironmentFile"] == "/etc/psm/psm.env"
    assert service["User"] == "psm"
    assert service["ExecStart"].startswith("/srv/psm/.venv/bin/")
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_worker_is_given_time_to_finish_its_longest_task():
    service = _unit("psm-worker.service")["Service"]
    assert service["KillMode"] == "mixed"  # SIGTERM to the main process: a warm shutdown
    stop = int(service["TimeoutStopSec"])
    assert stop >= 600
    assert stop > (getattr(settings, "CELERY_TASK_TIME_LIMIT", None) or 0)
    assert " worker " in service["ExecStart"] and " beat" not in service["ExecStart"]


def test_beat_runs_alone():
    assert " beat " in _unit("psm-beat.service")["Service"]["ExecStart"] + " "


def test_the_environment_example_names_the_variables_the_services_need():
    text = (DEPLOY / "psm.env.example").read_text()
    for variable in ("DEBUG=0", "SECRET_KEY=", "DATABASE_URL=", "REDIS_URL=", "ALLOWED_HOSTS=", "VAR_DIR="):
        assert variable in text
