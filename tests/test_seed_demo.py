"""``manage.py seed_demo``: one demo user per role with printed credentials, offices; safe to run again."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from municipalities.models import Municipality
from psm_portal.accounts.factories import DEMO_PASSWORD
from psm_portal.accounts.models import Office, Role, User
from psm_portal.demo import DEMO_USERS, OFFICES
from tests.requirements import ROOT, development_only_modules

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_a_user_per_role_and_prints_the_credentials():
    output = _seed()
    assert f"password per tutti: {DEMO_PASSWORD}" in output
    for demo in DEMO_USERS:
        assert demo.email in output
        assert User.objects.filter(email=demo.email, role=demo.role).exists()
    roles = set(User.objects.filter(email__in=[d.email for d in DEMO_USERS]).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(email="sindaco.a@demo.psm.local").municipality_id == "083048"
    assert User.objects.get(email="ufficio.b@demo.psm.local").office.code == "ambiente"
    assert Office.objects.filter(code__in=[code for code, *_ in OFFICES]).count() == len(OFFICES)
    assert "Dati dimostrativi pronti." in output


def test_seed_demo_twice_changes_nothing():
    _seed()
    counts = (User.objects.count(), Office.objects.count(), Municipality.objects.count())
    _seed()
    assert (User.objects.count(), Office.objects.count(), Municipality.objects.count()) == counts


def test_seed_demo_loads_the_municipalities_when_missing():
    Municipality.objects.all().delete()
    _seed()
    assert Municipality.objects.count() == 108


def test_demo_users_sign_in(client):
    _seed()
    response = client.post(reverse("accounts:login"), {"username": "team@demo.psm.local", "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("accounts:dashboard")


# A fresh interpreter where every module that only requirements-dev.txt installs fails to import,
# as in a virtual environment made from requirements.txt alone.
WITHOUT_DEVELOPMENT_PACKAGES = """
import sys

sys.modules.update(dict.fromkeys(sys.argv[1].split(",")))  # None there: `import factory` raises
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
call_command("seed_demo")
"""


def test_seed_demo_needs_no_development_package(tmp_path):
    blocked = development_only_modules()
    assert {"factory", "faker", "pytest"} <= blocked
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"} and not key.startswith("AWS_")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "psm_portal.settings", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEVELOPMENT_PACKAGES, ",".join(sorted(blocked))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Dati dimostrativi pronti." in result.stdout
    assert (tmp_path / "db.sqlite3").exists()
