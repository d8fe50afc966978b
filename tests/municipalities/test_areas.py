"""Territorial areas: every comune in exactly one (a non-null key), the default grouping loaded, maps by area."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from municipalities.areas import DEFAULT_AREAS, default_area_of
from municipalities.maps import MunicipalityMap, by_area
from municipalities.models import Area, Municipality
from municipalities.services import municipalities_load
from tests.conftest import LIPARI, MESSINA

pytestmark = pytest.mark.django_db


def test_the_default_grouping_puts_each_of_the_108_comuni_in_one_of_seven_areas():
    grouping = default_area_of()
    assert len(grouping) == 108 and set(grouping.values()) == set(DEFAULT_AREAS)
    counts = dict((a.code, a.municipalities.count()) for a in Area.objects.all())
    assert counts == {
        "stretto": 6,
        "tirrenica-mela": 26,
        "tirrenica-patti": 24,
        "nebrodi": 18,
        "eolie": 4,
        "ionica": 22,
        "alcantara": 8,
    }
    assert Municipality.objects.get(pk=MESSINA).area.code == "stretto"
    assert Municipality.objects.get(pk=LIPARI).area.code == "eolie"


def test_a_comune_without_an_area_is_refused_by_the_database(messina):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.filter(pk=messina.pk).update(area=None)


def test_an_area_with_comuni_cannot_be_deleted():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Area.objects.get(code="eolie").delete()


def test_a_reload_keeps_the_teams_moves_and_an_empty_table_gets_the_defaults(messina):
    nebrodi = Area.objects.get(code="nebrodi")
    Municipality.objects.filter(pk=MESSINA).update(area=nebrodi)
    municipalities_load()
    assert Municipality.objects.get(pk=MESSINA).area == nebrodi
    Municipality.objects.all().delete()
    Area.objects.all().delete()
    assert municipalities_load().created == 108
    assert Municipality.objects.get(pk=MESSINA).area.code == "stretto"


def test_the_map_colours_each_comune_by_its_area():
    shapes = list(Municipality.objects.for_map())
    areas = list(Area.objects.all())
    fills, legend = by_area(shapes, areas)
    assert fills[MESSINA] == DEFAULT_AREAS["stretto"][2]
    assert fills[LIPARI] == DEFAULT_AREAS["eolie"][2]
    assert [item.label for item in legend] == [a.name for a in areas]
    html = MunicipalityMap(title="Ambiti", description="Per ambito", fills=fills, legend=legend).render(shapes)
    assert DEFAULT_AREAS["eolie"][2] in html
