"""The final plan as an archival, accessible file: a real WeasyPrint render (not the lifecycle tests' stub),
read back from storage with pypdf: PDF/A-3b identification, a structure tree for screen readers, and
numbers written the Italian way."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from plan.models import PlanStatus
from plan.services import plan_render, plan_request
from psm_portal.lib.money import format_euro, format_number
from tests.plan.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _nodes(nodes):
    for node in nodes:
        yield node
        yield from _nodes(node["children"])


@pytest.fixture
def final_pdf(full_plan, media):
    document, created = plan_request(kind="final", user=None, enqueue=False)
    assert created
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        return document, handle.read()


def test_the_final_plan_is_pdf_a_3b_and_tagged_for_screen_readers(final_pdf):
    document, data = final_pdf
    reader, _pages = pdf_text(data)
    assert data.startswith(b"%PDF-1.7")
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "B")
    root = reader.trailer["/Root"]
    # PDF/A asks for an output intent with an embedded colour profile.
    (intent,) = root["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    assert intent.get_object()["/DestOutputProfile"].get_object().get_data()
    assert xmp.dc_title == {"x-default": "Piano Strategico Metropolitano di Messina — Piano finale v1"}
    # Tagged: marked content, the document's language and a structure tree.
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "it"
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot"
    # The structure reaches the headings and the tables of the document.
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
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= kinds


def test_every_number_of_the_final_plan_is_written_the_italian_way(final_pdf):
    document, data = final_pdf
    _reader, pages = pdf_text(data)
    flat = " ".join("\n".join(pages).split())
    nodes = list(_nodes(document.snapshot["sections"]["objectives"]["items"]))
    indicators = [indicator for node in nodes for indicator in node["indicators"]]
    assert indicators
    for indicator in indicators:
        # "11.40" as frozen, "11,40" as printed.
        assert "." in indicator["baseline"]
        assert format_number(indicator["baseline"], 2) in flat
        assert f" {indicator['baseline']} " not in f" {flat} "
    projects = [project for node in nodes for project in node["projects"]]
    for project in projects:
        assert format_euro(project["cost"]) in flat
    # Money: thousands with a dot, cents with a comma, the euro sign first (e.g. "€ 1.234.000,00").
    total = sum(int(float(project["cost"])) for project in projects)
    assert format_euro(total) in flat
    assert format_euro(total).startswith("€ ") and format_euro(total).endswith(",00")
