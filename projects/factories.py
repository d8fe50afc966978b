from __future__ import annotations

import factory

from projects.models import Office


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ufficio-{n}")
    name = factory.Sequence(lambda n: f"Ufficio di prova {n}")
    head = factory.Faker("name", locale="it_IT")
    email = factory.LazyAttribute(lambda o: f"{o.code}@cittametropolitana.me.it")
