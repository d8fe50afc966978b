"""Demo data of the process (``manage.py seed_demo``)."""

from __future__ import annotations

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
