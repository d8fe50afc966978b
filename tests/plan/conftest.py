"""Shared fixtures for the plan-document tests: synthetic data through the provider interface, a private media dir,
and a stub renderer for the tests of the documents' lifecycle."""

from __future__ import annotations

import hashlib
import io
from functools import cache

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from plan import services
from plan.document import RenderedPlan, Timings, snapshot_hash
from plan.models import PlanDocument, PlanKind, PlanStatus
from tests.plan import synthetic


@pytest.fixture
def media(private_media):
    """The temporary folder PDFs go to (every test has one: ``private_media`` in tests/conftest.py)."""
    return private_media


@pytest.fixture
def full_plan(settings):
    """Every section present: the synthetic Vision, objectives, projects and questionnaire, small sizes."""
    settings.PSM_PLAN_PROVIDERS = dict(synthetic.PROVIDERS)
    settings.PSM_PLAN_SYNTHETIC = {"objectives": 16, "projects": 40, "questions": 3}
    return settings


# What the real renderer reports, in order: context, templates, WeasyPrint's layout, the PDF written
# (``test_two_renders_of_identical_data_give_the_same_bytes`` checks the real one still does).
RENDER_PROGRESS = (20, 35, 80, 95)
STUB_PAGES = 3


@cache
def tiny_pdf(title: str, pages: int = STUB_PAGES) -> bytes:
    """A real PDF of blank A4 pages with a title; the same arguments always give the same bytes."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stub_render_plan_pdf(snapshot: dict, *, kind: str, version: int, created, progress=None) -> RenderedPlan:
    """``plan.document.render_plan_pdf`` without WeasyPrint: reports the same progress and returns a tiny real PDF
    that depends on what the real one depends on (kind, version, content), so identical inputs give identical bytes."""
    report = progress or (lambda value: None)
    for value in RENDER_PROGRESS:
        report(value)
    pdf = tiny_pdf(f"{kind} v{version} {snapshot_hash(snapshot)} {created.isoformat()}")
    return RenderedPlan(pdf=pdf, pages=STUB_PAGES, sha256=hashlib.sha256(pdf).hexdigest(), timings=Timings())


@pytest.fixture
def stub_renderer(monkeypatch):
    """The render service lays out the PDF with the stub above: for the lifecycle tests (claims, retries, stale
    documents, clashes, twins, failures of storage, publishing), which assert on rows and files, not on what the
    PDF says. Returns the list of calls (keyword arguments plus ``progress``: the values reported). Tests that
    read the PDF back keep WeasyPrint. Patched through the test's own ``monkeypatch`` so that every patch is
    undone in order, whichever fixture came first."""
    calls: list[dict] = []

    def render(snapshot, *, kind, version, created, progress=None):
        seen: list[int] = []
        calls.append({"kind": kind, "version": version, "created": created, "progress": seen})

        def report(value: int) -> None:
            seen.append(value)
            if progress is not None:
                progress(value)

        return stub_render_plan_pdf(snapshot, kind=kind, version=version, created=created, progress=report)

    monkeypatch.setattr(services, "render_plan_pdf", render)
    return calls


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() or "" for page in reader.pages]


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


PDF = b"%PDF-1.7\n% a plan\n"


def make_document(*, kind=PlanKind.DRAFT, version=1, status=PlanStatus.READY, published=False) -> PlanDocument:
    name = ""
    if status == PlanStatus.READY:
        name = default_storage.save(f"piano/test-{kind}-{version}.pdf", ContentFile(PDF))
    return PlanDocument.objects.create(
        kind=kind,
        version=version,
        status=status,
        progress=100 if status == PlanStatus.READY else 40,
        snapshot={"kind": kind, "sections": {}},
        content_hash=f"{kind}-{version}-".ljust(64, "0"),
        requested_at=timezone.now(),
        file=name,
        sha256="ab" * 32 if status == PlanStatus.READY else "",
        size=len(PDF) if status == PlanStatus.READY else None,
        pages=42 if status == PlanStatus.READY else None,
        published_at=timezone.now() if published else None,
    )


# The council's act: its fixtures live in their own module.
from tests.plan.council import (  # noqa: E402, F401
    agenda,
    approved,
    examination,
    final_document,
    final_phase,
    in_plan,
    out_of_plan,
)
