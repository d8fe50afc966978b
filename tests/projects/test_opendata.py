from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.factories import ProjectFactory
from psm_portal.lib.opendata import catalogue

pytestmark = pytest.mark.django_db


def test_csv_has_one_row_per_published_project_with_funding_by_source(client, published_a, draft_a, lipari):
    published_a.municipalities.add(lipari)
    response = client.get(reverse("projects:opendata_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["cup"] == "B41B22000930006"
    assert row["municipalities_istat"] == "083041;083048"
    assert row["funding_pnrr"] == "800000.00" and row["funding_metro_city"] == "200000.00" and row["funding_fsc"] == ""
    assert row["total_cost"] == "1000000.00"
    assert row["office_code"] == "viabilita"


def test_csv_is_safe_against_formula_injection(client, office_a):
    ProjectFactory(office=office_a, title='=HYPERLINK("http://evil.example","clic")', local_code="@SUM(A1)")
    text = client.get(reverse("projects:opendata_csv")).content.decode()
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text


def test_json(client, published_a, draft_a):
    data = json.loads(client.get(reverse("projects:opendata_json")).content)
    assert data["licence"] == "CC-BY-4.0"
    [project] = data["projects"]
    assert project["cup"] == published_a.cup
    assert project["funding"] == {"pnrr": "800000.00", "metro_city": "200000.00"}
    assert project["municipalities_istat"] == ["083048"]
    assert project["objective_codes"] == []
    assert Decimal(project["total_cost"]) == Decimal("1000000")


def test_datasets_appear_in_the_open_data_catalogue(client):
    urls = [item["url"] for item in catalogue.available()]
    assert "/opendata/progetti.csv" in urls and "/opendata/progetti.json" in urls


@pytest.mark.parametrize("size", [2, 30])
def test_open_data_query_count(client, office_a, django_assert_max_num_queries, size):
    ProjectFactory.create_batch(size, office=office_a)
    with django_assert_max_num_queries(4):
        client.get(reverse("projects:opendata_csv"))
    with django_assert_max_num_queries(4):
        client.get(reverse("projects:opendata_json"))
