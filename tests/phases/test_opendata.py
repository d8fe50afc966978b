from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from phases.factories import PositionFactory, VisionVersionFactory
from phases.models import VisionStatus

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_objectives_csv_is_the_tree_with_indicators(client, tree):
    data = rows(client.get(reverse("phases:opendata_objectives")))
    assert data[0] == ["code", "level", "parent_code", "title", "indicators"]
    assert [r[0] for r in data[1:]] == ["A", "A1", "A1.1", "A2"]
    assert data[3][:3] == ["A1.1", "3", "A1"] and "Strade riqualificate (km): 0.00 → 180.00 (2029)" in data[3][4]


def test_positions_csv_has_closed_reviews_only_and_no_personal_data(client, tree, messina, office_a, mayor_a):
    closed = VisionVersionFactory(number=1, status=VisionStatus.CLOSED)
    PositionFactory(version=closed, municipality=messina, objective=tree["A1"], comment="=HYPERLINK(1)", author=mayor_a)
    PositionFactory(version=closed, office=office_a, objective=None)
    PositionFactory(version=VisionVersionFactory(number=2, open_for_review=True), municipality=messina)
    data = rows(client.get(reverse("phases:opendata_positions")))
    assert data[0] == [
        "version",
        "subject_type",
        "subject_code",
        "subject_name",
        "objective_code",
        "stance",
        "comment",
        "date",
    ]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in data[1:]] == [
        ("1", "comune", "083048", "A1", "agree"),
        ("1", "ufficio", "viabilita", "VISIONE", "agree"),
    ]
    assert data[1][6] == "'=HYPERLINK(1)"  # no formula injection
    text = "\n".join(",".join(r) for r in data)
    assert mayor_a.email not in text and mayor_a.full_name not in text


def test_datasets_are_listed_in_the_catalogue(client):
    html = client.get(reverse("opendata")).content.decode()
    assert "/opendata/obiettivi.csv" in html and "/opendata/posizioni.csv" in html


def test_the_public_pages_share_one_idea_of_a_reviewed_version(client, tree, messina, monkeypatch):
    """The objective page, the municipality's page and the open data all read VisionVersion.objects.reviewed()."""
    from phases.models import VisionVersion
    from phases.models.process import VisionVersionQuerySet
    from phases.sections import positions_section

    versions = [
        VisionVersionFactory(number=1, status=VisionStatus.CLOSED),
        VisionVersionFactory(number=2, status=VisionStatus.ADOPTED),
        VisionVersionFactory(number=3, open_for_review=True),
    ]
    for version in versions:
        PositionFactory(version=version, municipality=messina, objective=tree["A1"])
    assert list(VisionVersion.objects.reviewed().order_by("number")) == versions[:2]
    assert VisionVersion.objects.latest_reviewed() == versions[1]

    # Were only closed reviews public, every page would follow.
    monkeypatch.setattr(VisionVersionQuerySet, "reviewed", lambda self: self.filter(status=VisionStatus.CLOSED))
    assert client.get(reverse("phases:objective", args=["A1"])).context["closed_version"] == versions[0]
    assert positions_section(messina, None)["version"] == versions[0]
    data = rows(client.get(reverse("phases:opendata_positions")))
    assert [r[0] for r in data[1:]] == ["1"]
