"""Factories of projects and proposals for the tests and the benchmarks (development only)."""

from __future__ import annotations

from decimal import Decimal

import factory

from projects.models import Agenda, AgendaAction, FundingLine, Project, Proposal, Publication, Status
from psm_portal.accounts.factories import OfficeFactory


def fake_cup(n: int) -> str:
    """A well-formed CUP that is not a real one (letter Z, then the sequence)."""
    return f"Z{n % 100:02d}Z{n:011d}"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Progetto di prova {n}")
    summary = "Sintesi del progetto di prova."
    office = factory.SubFactory(OfficeFactory)
    cup = factory.Sequence(fake_cup)
    status = Status.FUNDED
    total_cost = Decimal("100000.00")
    publication = Publication.PUBLISHED

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)

    @factory.post_generation
    def objectives(self, create, extracted, **kwargs):
        if create and extracted:
            self.objectives.set(extracted)

    @factory.post_generation
    def funding(self, create, extracted, **kwargs):
        """``funding={"pnrr": Decimal(...)}``."""
        if create and extracted:
            FundingLine.objects.bulk_create(
                FundingLine(project=self, source=source, amount=amount) for source, amount in extracted.items()
            )


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Proposta {n}")
    description = "Una pista ciclabile lungo la costa."
    proposer = None


class AgendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agenda

    year = 2027


class AgendaActionFactory(factory.django.DjangoModelFactory):
    """An action of a draft agenda; ``projects=[...]`` links projects (written straight, as the benchmarks need)."""

    class Meta:
        model = AgendaAction
        skip_postgeneration_save = True

    agenda = factory.SubFactory(AgendaFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Azione di prova {n}")
    responsible_office = factory.SubFactory(OfficeFactory)
    budget = Decimal("25000.00")

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)
