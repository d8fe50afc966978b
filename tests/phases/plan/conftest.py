"""Shared fixtures for the plan-document tests: synthetic data through the provider interface, a private media dir."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from phases.plan import synthetic


@pytest.fixture
def media(settings, tmp_path):
    """PDFs go to a temporary folder through the same storage API as production."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }
    return location


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
