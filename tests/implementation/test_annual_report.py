"""The annual implementation report ("Relazione annuale di attuazione"): a plan document of its own kind, rendered by
the plan's machinery from ``implementation.plan_section``. A real WeasyPrint render read back (figures written the
Italian way, PDF/A and tagged), versions that keep their hashes, the render and publishing for the whole cast with
the confirmation first, /piano/ and /piano/verifica/ for it, the render's queries bounded at two sizes."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from implementation.plan_section import annual_provider
from implementation.services import indicator_value_record, report_submit, report_validate
from phases.factories import IndicatorFactory
from plan import services as plan_services
from plan.models import PlanDocument, PlanKind, PlanStatus
from plan.sections import sections_for
from plan.services import plan_render, plan_request
from projects.factories import ProjectFactory
from tests.conftest import CAST
from tests.implementation.conftest import report_data
from tests.plan.conftest import pdf_text, stub_render_plan_pdf

pytestmark = pytest.mark.django_db


def _validated(team_user, user, cycle, subject, **changes):
    report = report_submit(user=user, cycle=cycle, subject=subject, **report_data(**changes))
    return report_validate(user=team_user, report=report)


@pytest.fixture
def year_data(final_phase, team_user, office_a_user, cycle, project_a, action_a, tree):
    """Office A's project and action validated, with a milestone this year, and an indicator measured."""
    year = timezone.localdate().year
    _validated(
        team_user,
        office_a_user,
        cycle,
        project_a,
        milestones=[{"title": "Consegna dei lavori del ponte", "planned_on": date(year, 3, 15), "achieved_on": None}],
    )
    _validated(
        team_user,
        office_a_user,
        cycle,
        action_a,
        percent=80,
        funding=[{"source": "pnrr", "committed": Decimal("50000"), "paid": Decimal("25000")}],
        milestones=[],
    )
    indicator = IndicatorFactory(objective=tree["A1.2"], name="Tempo medio di percorrenza", unit="min", baseline=45)
    indicator_value_record(
        user=team_user, indicator=indicator, year=year, value=Decimal("41.5"), source="Rilevazione ANAS"
    )
    return {"year": year, "indicator": indicator}


def _render(kind="annual"):
    document, created = plan_request(kind=kind, user=None, enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    return document, created


@pytest.fixture
def stub(monkeypatch):
    monkeypatch.setattr(plan_services, "render_plan_pdf", stub_render_plan_pdf)


def test_the_annual_report_has_its_own_sections():
    assert sections_for("annual") == ["plan", "implementation"]
    assert "implementation" not in sections_for("draft") and "implementation" not in sections_for("final")


def test_without_validated_reports_the_section_says_it_is_not_available(db):
    data = annual_provider("annual")
    assert data["available"] is False and "validata" in data["note"]


def test_the_provider_rolls_up_the_year(year_data, project_a):
    data = annual_provider("annual")
    assert data["year"] == year_data["year"]
    # Project: cost 1,000,000 at 40%; action: budget 25,000 at 80% → (40,000,000 + 2,000,000) / 1,025,000 = 40.98.
    (axis_a, axis_b) = data["axes"]
    assert axis_a["code"] == "A" and axis_a["n"] == 2 and axis_a["progress"] == "41.0" and axis_a["weighted"]
    assert axis_a["committed"] == "350000.00" and axis_a["paid"] == "145000.00"
    assert axis_b["n"] == 0 and axis_b["progress"] is None
    assert [row["code"] for row in axis_a["rows"]] == ["A1", "A1.1", "A1.2"]
    assert data["milestones"][0]["title"] == "Consegna dei lavori del ponte"
    assert data["indicators"][0]["chart"]["rows"][1]["value"] == "41.50"
    assert data["validated"]["count"] == 2
    assert data["validated"]["by_office"] == [
        {"office": "Viabilità e infrastrutture", "n": 2, "projects": 1, "actions": 1}
    ]


def test_a_real_render_is_tagged_pdf_a_with_the_figures_in_italian(year_data, private_media):
    document, created = _render()
    assert created and document.kind == PlanKind.ANNUAL
    assert document.filename == "psm-messina-relazione-annuale-attuazione-v1.pdf"
    with default_storage.open(document.file.name, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    reader, pages = pdf_text(data)
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "B")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True and root["/Lang"] == "it"
    assert "Relazione annuale di attuazione" in xmp.dc_title["x-default"]
    flat = " ".join("\n".join(pages).split())
    year = year_data["year"]
    for text in (
        f"Relazione annuale di attuazione {year}",
        "Sintesi dell'attuazione",
        "41,0%",  # axis A, weighted by cost
        "€ 350.000,00",  # committed on axis A
        "€ 145.000,00",  # paid on axis A
        "€ 1.000.000,00",  # the project's cost
        "Consegna dei lavori del ponte",
        f"15/03/{year}",
        "Tempo medio di percorrenza",
        "41,50",
        "Rilevazione ANAS",
        "Viabilità e infrastrutture",
    ):
        assert text in flat, text
    assert "350000.00" not in flat and "41.50" not in flat
    tree = root["/StructTreeRoot"].get_object()
    kinds: set[str] = set()

    def walk(element, depth=0):
        element = element.get_object()
        if isinstance(element, dict):
            if "/S" in element:
                kinds.add(element["/S"])
            kids = element.get("/K")
            if kids is not None and depth < 40:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid, depth + 1)

    walk(tree)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= kinds


def test_versions_keep_their_hashes(year_data, team_user, private_media, stub):
    first, created = _render()
    assert created
    again, created = plan_request(kind="annual", user=None, enqueue=False)
    assert again.pk == first.pk and not created  # same data, same document
    indicator_value_record(
        user=team_user,
        indicator=year_data["indicator"],
        year=year_data["year"] - 1,
        value=Decimal("43"),
        source="ISTAT",
    )
    second, created = _render()
    assert created and second.version == 2 and second.sha256 != first.sha256
    first.refresh_from_db()
    with default_storage.open(first.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == first.sha256
    assert PlanDocument.objects.of_kind("annual").count() == 2
    assert PlanDocument.objects.of_kind("draft").count() == 0


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_asks_for_the_annual_report(name, cast, login, year_data, private_media, stub):
    response = login(cast(name)).post(reverse("plan:render"), {"kind": "annual"})
    created = PlanDocument.objects.of_kind("annual").first()
    if name == "team_user":
        assert response.status_code == 302 and created is not None
    else:
        assert response.status_code == (302 if name == "anonymous" else 403) and created is None


@pytest.mark.parametrize("name", CAST)
def test_publishing_asks_for_confirmation_then_lists_downloads_and_verifies(
    name, cast, login, client, year_data, private_media, stub
):
    document, _created = _render()
    user = login(cast(name))
    response = user.post(reverse("plan:publish", args=[document.pk]))
    document.refresh_from_db()
    assert not document.is_published
    if name != "team_user":
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert user.post(reverse("plan:publish", args=[document.pk]), {"conferma": "1"}).status_code in (302, 403)
        document.refresh_from_db()
        assert not document.is_published
        return
    assert response.status_code == 200 and "Pubblica il documento" in response.content.decode()
    assert user.post(reverse("plan:publish", args=[document.pk]), {"conferma": "1"}).status_code == 302
    document.refresh_from_db()
    assert document.is_published
    client.logout()
    listing = client.get(reverse("plan:list")).content.decode()
    assert "Relazione annuale di attuazione" in listing and reverse("plan:download", args=[document.pk]) in listing
    download = client.get(reverse("plan:download", args=[document.pk]))
    assert download.status_code == 200 and download["X-Content-SHA256"] == document.sha256
    verdict = client.get(reverse("plan:verify"), {"sha256": document.sha256}).content.decode()
    assert "Relazione annuale di attuazione" in verdict


def _render_queries() -> int:
    document, _created = plan_request(kind="annual", user=None, enqueue=False)
    with CaptureQueriesContext(connection) as queries:
        assert plan_render(document_id=document.pk).status == PlanStatus.READY
    return len(queries)


def test_the_render_queries_are_bounded_at_two_sizes(
    year_data, team_user, office_a_user, cycle, tree, private_media, stub
):
    small = _render_queries()
    for i in range(12):
        project = ProjectFactory(
            office=office_a_user.office,
            title=f"Progetto {i}",
            objectives=[tree["A1.1"] if i % 2 else tree["B1.1"]],
            total_cost=Decimal(1000 * (i + 1)),
            published_at=timezone.now(),
        )
        _validated(team_user, office_a_user, cycle, project, percent=i * 5)
        indicator = IndicatorFactory(objective=tree["B1"], name=f"Indicatore {i}")
        indicator_value_record(user=team_user, indicator=indicator, year=2027, value=Decimal(i), source="ISTAT")
    assert _render_queries() == small
