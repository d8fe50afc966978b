from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_list_shows_the_108_with_a_map_of_108_links(client):
    response = client.get(reverse("municipalities:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="psm-map-link"') == 108
    assert 'aria-label="Sant&#x27;Agata di Militello"' in html
    assert ">218.786<" in html  # Messina, Italian thousands separator


def test_search_ignores_accents_and_case(client):
    response = client.get(reverse("municipalities:list"), {"q": "ALI TERME"})
    assert [m.name for m in response.context["municipalities"]] == ["Alì Terme"]
    response = client.get(reverse("municipalities:list"), {"q": "sant’agata"})
    assert [m.name for m in response.context["municipalities"]] == ["Sant'Agata di Militello"]


def test_sort_by_population_descending(client):
    response = client.get(reverse("municipalities:list"), {"ordina": "-popolazione"})
    assert response.context["municipalities"][0].name == "Messina"


def test_unknown_sort_falls_back_to_name(client):
    response = client.get(reverse("municipalities:list"), {"ordina": "drop table"})
    assert response.status_code == 200
    assert response.context["sort"] == "nome"


def test_detail_and_unknown_code(client):
    assert client.get(reverse("municipalities:detail", args=["083048"])).status_code == 200
    assert client.get(reverse("municipalities:detail", args=["999999"])).status_code == 404


def test_opendata_csv_has_108_rows(client):
    response = client.get(reverse("municipalities:opendata_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["istat_code", "name", "population", "area_km2"]
    assert len(rows) == 109
    assert sum(int(r[2]) for r in rows[1:]) == 598811


@pytest.mark.parametrize("rows", [10, 108])
def test_list_query_count_is_constant(client, django_assert_max_num_queries, rows):
    with django_assert_max_num_queries(3):
        client.get(reverse("municipalities:list"))
