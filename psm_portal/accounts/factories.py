"""Factories of offices and users for the tests and the benchmarks (development only)."""

from __future__ import annotations

import factory

from psm_portal.accounts.demo import DEMO_PASSWORD
from psm_portal.accounts.models import Office, Role, User


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ufficio-{n}")
    name = factory.Sequence(lambda n: f"Ufficio di prova {n}")
    head = factory.Faker("name", locale="it_IT")
    email = factory.LazyAttribute(lambda o: f"{o.code}@cittametropolitana.me.it")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utente{n}@example.org")
    full_name = factory.Faker("name", locale="it_IT")
    role = Role.COUNCIL
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        team = factory.Trait(role=Role.TEAM)
        council = factory.Trait(role=Role.COUNCIL)
        office_staff = factory.Trait(role=Role.OFFICE, office=factory.SubFactory(OfficeFactory))
        mayor = factory.Trait(role=Role.MAYOR)
        stakeholder = factory.Trait(role=Role.STAKEHOLDER, organisation="Università degli Studi di Messina")
