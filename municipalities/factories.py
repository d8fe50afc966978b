from __future__ import annotations

import factory

from municipalities.models import Need, NeedTheme


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Istanza {n}")
    description = "Il comune chiede attenzione a questo bisogno."
    theme = NeedTheme.MOBILITY
