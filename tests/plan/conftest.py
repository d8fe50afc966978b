"""Shared fixtures for the plan-document tests: synthetic data through the provider interface, a private media dir."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

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
