"""Vocations, rounds and answers for the vocations' tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from municipalities.models import Municipality
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from tests.phases.conftest import reference_data, tree  # noqa: F401, F811
from vocations.models import Answer, Rating, Round, RoundStatus, Vocation


@pytest.fixture
def vocations(db, office_a, tree):  # noqa: F811
    sea = Vocation.objects.create(slug="mare", name="Economia del mare", description="Porti e pesca.", order=1)
    tourism = Vocation.objects.create(slug="turismo", name="Turismo culturale", description="Borghi e isole.", order=2)
    food = Vocation.objects.create(slug="agroalimentare", name="Agroalimentare", description="Qualità.", order=3)
    sea.objectives.set([tree["A1"]])
    sea.offices.set([office_a])
    return [sea, tourism, food]


@pytest.fixture
def open_round(db, vocations):
    return Round.objects.create(title="Consultazione 2026", status=RoundStatus.OPEN, opened_at=timezone.now())


@pytest.fixture
def draft_round(db, vocations):
    return Round.objects.create(title="Bozza")


def answer_for(round_, municipality, scores: list[int], priorities=(), author=None) -> Answer:
    """An answer written directly (the services are tested apart): ``scores`` in the vocations' order."""
    author = author or UserFactory(role=Role.MAYOR, municipality=municipality)
    answer = Answer.objects.create(round=round_, municipality=municipality, author=author)
    vocations = list(Vocation.objects.all())
    Rating.objects.bulk_create(
        Rating(answer=answer, vocation=v, score=s, priority=i in priorities, reason="Motivo" if i in priorities else "")
        for i, (v, s) in enumerate(zip(vocations, scores, strict=True))
    )
    return answer


@pytest.fixture
def closed_round(db, vocations, mayor_a):
    round_ = Round.objects.create(
        title="Consultazione chiusa", status=RoundStatus.CLOSED, opened_at=timezone.now(), closed_at=timezone.now()
    )
    return round_


def fill(round_, count: int) -> None:
    """``count`` comuni answer (by ISTAT code order), with scores that vary."""
    author = UserFactory(role=Role.TEAM)
    for i, m in enumerate(Municipality.objects.order_by("istat_code")[:count]):
        answer_for(round_, m, [1 + i % 5, 1 + (i + 2) % 5, 3], priorities=(0,) if i % 2 else (), author=author)
