"""Test factories of implementation (development only: demo data goes through the services)."""

from __future__ import annotations

from datetime import date

import factory

from implementation.models import Progress, ProgressReport, ReportingCycle, Review


class ReportingCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingCycle

    title = factory.Sequence(lambda n: f"Ciclo di prova {n}")
    opens_on = date(2020, 1, 1)
    closes_on = date(2099, 12, 31)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A report written straight to the table (``validated=True`` makes it the subject's current one)."""

    class Meta:
        model = ProgressReport

    class Params:
        validated = factory.Trait(review=Review.VALIDATED, current=True)

    cycle = factory.SubFactory(ReportingCycleFactory)
    office = factory.LazyAttribute(lambda o: o.project.office if o.project else o.action.responsible_office)
    project = None
    action = None
    progress = Progress.ON_TRACK
    percent = 50
