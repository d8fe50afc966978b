"""Helpers for the projects tests: spreadsheets in memory and ready-made projects."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from openpyxl import Workbook

from phases.models import Phase
from phases.phases import PhaseKey
from projects.factories import ProjectFactory
from projects.models import Publication

HEADER = ["CUP", "Codice locale", "Titolo", "Stato", "Codici ISTAT dei comuni", "Costo totale", "Finanziamento PNRR"]


def csv_bytes(rows: list[list], header: list = HEADER, sep: str = ";", encoding: str = "utf-8") -> bytes:
    lines = [sep.join(str(cell) for cell in header)]
    lines += [sep.join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list], header: list = HEADER, instructions: bool = False) -> bytes:
    workbook = Workbook()
    if instructions:
        help_sheet = workbook.active
        help_sheet.title = "Istruzioni"
        help_sheet.append(["Colonna", "Come compilarla"])
        sheet = workbook.create_sheet("Progetti")
    else:
        sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_row(n: int = 1, **changes) -> list:
    row = {
        "cup": f"B33C2200{n:07d}",
        "code": f"LOC-{n}",
        "title": f"Strada provinciale {n}",
        "status": "finanziato",
        "istat": "083048",
        "cost": "1.234.567,89",
        "pnrr": "1.000.000,00",
    }
    row.update(changes)
    return list(row.values())


@pytest.fixture
def agenda_phase(db):
    """Moves the clock into phase 2 (Agenda strategica), when proposals open."""
    phase = Phase.objects.get(key=PhaseKey.AGENDA)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=False):
        yield phase


@pytest.fixture
def final_phase(db):
    phase = Phase.objects.get(key=PhaseKey.FINAL)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=False):
        yield phase


@pytest.fixture
def draft_a(office_a, messina):
    return ProjectFactory(
        office=office_a, title="Bozza riservata ufficio A", publication=Publication.DRAFT, municipalities=[messina]
    )


@pytest.fixture
def published_a(office_a, messina):
    return ProjectFactory(
        office=office_a,
        title="Ponte sul torrente Annunziata",
        cup="B41B22000930006",
        municipalities=[messina],
        funding={"pnrr": Decimal("800000"), "metro_city": Decimal("200000")},
        total_cost=Decimal("1000000"),
        published_at=timezone.now(),
    )


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """``upload(client, data, name)`` posts a file to the import page and runs the queued check (eager Celery)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    def _upload(client, data: bytes, name: str = "progetti.csv", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("projects:import"), {"file": SimpleUploadedFile(name, data), **extra})

    return _upload


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """``confirm(client, batch)`` confirms an import and runs the queued write."""
    from django.urls import reverse

    def _confirm(client, batch):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("projects:import_confirm", args=[batch.pk]))

    return _confirm


@pytest.fixture(autouse=True)
def clear_cache():
    """Import progress and the catalogue map live in the cache: start every test without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    """Axis A, general A1, specifics A1.1 and A1.2; axis B with B1 and B1.1."""
    from phases.factories import ObjectiveFactory

    axis_a = ObjectiveFactory(code="A", order=1, title="Connessioni")
    a1 = ObjectiveFactory(code="A1", parent=axis_a, order=1, title="Strade sicure")
    axis_b = ObjectiveFactory(code="B", order=2, title="Territorio")
    b1 = ObjectiveFactory(code="B1", parent=axis_b, order=1, title="Rischio idrogeologico")
    return {
        "A": axis_a,
        "A1": a1,
        "A1.1": ObjectiveFactory(code="A1.1", parent=a1, order=1, title="Viabilità provinciale"),
        "A1.2": ObjectiveFactory(code="A1.2", parent=a1, order=2, title="Trasporto intercomunale"),
        "B": axis_b,
        "B1": b1,
        "B1.1": ObjectiveFactory(code="B1.1", parent=b1, order=1, title="Torrenti"),
    }


@pytest.fixture
def published_b(office_b, lipari):
    return ProjectFactory(
        office=office_b,
        title="Argini del torrente Santa Margherita",
        municipalities=[lipari],
        published_at=timezone.now(),
    )


@pytest.fixture
def agenda_draft(db):
    """The 2027 agenda's first version, a draft with no actions."""
    from projects.models import Agenda

    return Agenda.objects.create(year=2027)


def action_data(**changes) -> dict:
    """What the services take for an action (office and projects to be given)."""
    data = {
        "title": "Progettazione esecutiva del ponte",
        "description": "Affidamento e consegna della progettazione esecutiva.",
        "start_quarter": 1,
        "due_quarter": 3,
        "budget": Decimal("120000.50"),
        "funding_source": "pnrr",
        "expected_output": "Progetto esecutivo approvato",
        "indicator": "Progetto esecutivo consegnato (sì/no)",
        "status": "planned",
    }
    data.update(changes)
    return data
