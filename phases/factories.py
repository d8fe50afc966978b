"""Factories of the process (Vision versions, objectives, indicators, positions, istanze) for the tests and the
benchmarks (development only)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from phases.models import (
    DocumentKind,
    Indicator,
    Need,
    NeedTheme,
    Objective,
    ObjectiveLevel,
    Position,
    Stance,
    VisionStatus,
    VisionVersion,
)


class VisionVersionFactory(factory.django.DjangoModelFactory):
    """A version of the Vision or, with ``kind=DocumentKind.GOVERNANCE``, of another reviewed document."""

    class Meta:
        model = VisionVersion
        django_get_or_create = ("kind", "number")

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.documents

    kind = DocumentKind.VISION
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Messina 2030, versione {n + 1}")
    text = "<p>La Città Metropolitana di Messina, ponte tra Sicilia e continente.</p>"
    status = VisionStatus.DRAFT

    class Params:
        open_for_review = factory.Trait(
            status=VisionStatus.OPEN,
            opened_at=factory.LazyFunction(timezone.now),
            deadline=factory.LazyFunction(lambda: timezone.now() + timedelta(days=30)),
        )


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        django_get_or_create = ("code",)

    parent = None
    level = factory.LazyAttribute(lambda o: o.parent.level + 1 if o.parent else ObjectiveLevel.AXIS)
    order = factory.Sequence(lambda n: n % 90 + 1)
    code = factory.LazyAttribute(
        lambda o: (
            f"{o.parent.code}{o.order}"
            if o.parent and o.parent.level == ObjectiveLevel.AXIS
            else f"{o.parent.code}.{o.order}"
            if o.parent
            else chr(ord("A") + (o.order - 1) % 26)
        )
    )
    title = factory.Sequence(lambda n: f"Obiettivo {n}")
    description = "Descrizione dell'obiettivo."
    # The model's own rule, on a throwaway instance with the same parent and order.
    sort_key = factory.LazyAttribute(lambda o: Objective(parent=o.parent, order=o.order).compute_sort_key())


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    name = factory.Sequence(lambda n: f"Indicatore {n}")
    unit = "%"
    baseline = 10
    target = 20
    year = 2030


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    version = factory.SubFactory(VisionVersionFactory, open_for_review=True)
    objective = None
    stance = Stance.AGREE
    comment = "Condividiamo."


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Istanza {n}")
    description = "Il comune chiede attenzione a questo bisogno."
    theme = NeedTheme.MOBILITY
