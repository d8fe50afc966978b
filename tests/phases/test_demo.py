"""Demo data of the process (``manage.py seed_demo``)."""

from __future__ import annotations

from datetime import UTC

import pytest

from phases.demo import seed_needs
from phases.models import Need
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_demo_needs_are_signed_by_the_municipalitys_active_mayor(messina):
    UserFactory(
        email="ex.sindaco@test.local", full_name="Aldo Ex", role=Role.MAYOR, municipality=messina, is_active=False
    )
    mayor = UserFactory(email="sindaco@test.local", full_name="Zeno Sindaco", role=Role.MAYOR, municipality=messina)
    seed_needs()
    authors = set(Need.objects.filter(municipality=messina).values_list("author", flat=True))
    assert authors == {mayor.pk}


def test_demo_dates_are_rounded_to_the_hour():
    """Deadlines and phase dates read like ones a person sets, whatever the minute the demo is loaded at."""
    from datetime import datetime

    import time_machine

    from phases.demo import seed_phases, seed_versions
    from phases.models import Phase, VisionVersion

    with time_machine.travel(datetime(2027, 3, 4, 14, 37, 21, tzinfo=UTC), tick=False):
        seed_phases()
        seed_versions()
    moments = [v.deadline for v in VisionVersion.objects.all()]
    moments += [m for p in Phase.objects.all() for m in (p.starts_at, p.ends_at)]
    assert moments and all((m.minute, m.second, m.microsecond) == (0, 0, 0) for m in moments)
