from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from phases.factories import IndicatorFactory, ObjectiveFactory, VisionVersionFactory
from phases.models import Phase, VisionStatus
from phases.phases import PhaseKey

ROME = ZoneInfo("Europe/Rome")
LISTENING_START = datetime(2027, 1, 1, tzinfo=ROME)
AGENDA_START = datetime(2027, 4, 1, tzinfo=ROME)
FINAL_START = datetime(2027, 7, 1, tzinfo=ROME)
FINAL_END = datetime(2027, 10, 1, tzinfo=ROME)

# A moment before, inside and after each phase.
MOMENTS = {
    "before": datetime(2026, 12, 15, 10, tzinfo=ROME),
    "listening": datetime(2027, 2, 1, 10, tzinfo=ROME),
    "agenda": datetime(2027, 5, 1, 10, tzinfo=ROME),
    "final": datetime(2027, 8, 1, 10, tzinfo=ROME),
    "after": datetime(2027, 11, 1, 10, tzinfo=ROME),
}


@pytest.fixture
def calendar(db):
    """The three phases on fixed dates, so that tests can travel in time around them."""
    dates = {
        PhaseKey.LISTENING: (LISTENING_START, AGENDA_START),
        PhaseKey.AGENDA: (AGENDA_START, FINAL_START),
        PhaseKey.FINAL: (FINAL_START, FINAL_END),
    }
    for key, (start, end) in dates.items():
        Phase.objects.filter(key=key).update(starts_at=start, ends_at=end)
    return dates


@pytest.fixture
def listening_now(db):
    """The listening phase runs now (real time), for tests that do not travel."""
    from django.utils import timezone

    now = timezone.now()
    Phase.objects.filter(key=PhaseKey.LISTENING).update(
        starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=80)
    )
    Phase.objects.filter(key=PhaseKey.AGENDA).update(
        starts_at=now + timedelta(days=80), ends_at=now + timedelta(days=170)
    )
    Phase.objects.filter(key=PhaseKey.FINAL).update(
        starts_at=now + timedelta(days=170), ends_at=now + timedelta(days=260)
    )


@pytest.fixture
def tree(db):
    """Axis A with general objectives A1 and A2; A1 has the specific objective A1.1 with an indicator."""
    axis = ObjectiveFactory(code="A", order=1, title="Connessioni")
    a1 = ObjectiveFactory(code="A1", parent=axis, order=1, title="Collegare le aree interne")
    a2 = ObjectiveFactory(code="A2", parent=axis, order=2, title="Continuità con le isole")
    a11 = ObjectiveFactory(code="A1.1", parent=a1, order=1, title="Viabilità provinciale")
    IndicatorFactory(objective=a11, name="Strade riqualificate", unit="km", baseline=0, target=180, year=2029)
    return {"A": axis, "A1": a1, "A2": a2, "A1.1": a11}


@pytest.fixture
def open_version(db, listening_now):
    return VisionVersionFactory(number=1, open_for_review=True)


@pytest.fixture
def closed_version(db):
    return VisionVersionFactory(number=1, status=VisionStatus.CLOSED)


def position_post(version, target: str, stance: str = "agree", comment: str = "", **extra) -> dict:
    data = {f"t-{target}-version": version.pk, f"t-{target}-stance": stance, f"t-{target}-comment": comment}
    data.update({f"t-{target}-{key}": value for key, value in extra.items()})
    return data


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test empties the tables when it ends: reload the 108 municipalities if an earlier one did."""
    from django.core.management import call_command

    from municipalities.models import Municipality

    if Municipality.objects.count() != 108:
        call_command("load_municipalities", verbosity=0)
    ensure_phases()


def ensure_phases() -> None:
    """The three phases, as migration 0002 creates them (a flushed database has lost them)."""
    from importlib import import_module

    from django.apps import apps

    import_module("phases.migrations.0002_default_phases").create_phases(apps, None)
