"""Fixtures of the news tests: two objectives, a published project in Messina, a few news items."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from news.models import News, NewsStatus

LOGIN = 302
DENIED = 403


def expected(table: dict, name: str) -> int:
    if name == "anonymous":
        return LOGIN
    return table.get(name, DENIED)


def png(name: str = "foto.png", size: tuple[int, int] = (8, 6)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def objectives(db):
    from phases.factories import ObjectiveFactory

    axis = ObjectiveFactory(code="A", order=1, title="Connessioni")
    general = ObjectiveFactory(code="A1", parent=axis, order=1, title="Strade sicure")
    return {"A": axis, "A1": general, "A1.1": ObjectiveFactory(code="A1.1", parent=general, order=1, title="Ponti")}


@pytest.fixture
def project(office_a, messina, objectives):
    from projects.factories import ProjectFactory

    return ProjectFactory(
        office=office_a, title="Ponte sul torrente", municipalities=[messina], objectives=[objectives["A1.1"]]
    )


def make_news(n: int, *, status: str = NewsStatus.PUBLISHED, prefix: str = "Notizia") -> list[News]:
    now = timezone.now()
    return [
        News.objects.create(
            title=f"{prefix} {i}",
            slug=f"{prefix.lower()}-{i}-{status}",
            summary=f"Sintesi {i}",
            body="<p>Testo</p>",
            status=status,
            published_at=now if status == NewsStatus.PUBLISHED else None,
        )
        for i in range(n)
    ]


@pytest.fixture
def published(db) -> News:
    return make_news(1, prefix="Pubblicata")[0]


@pytest.fixture
def draft(db) -> News:
    return make_news(1, status=NewsStatus.DRAFT, prefix="Bozza")[0]
