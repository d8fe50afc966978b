"""``manage.py seed_demo``: the comuni if missing, then each app's demo data through its own ``demo.py``."""

from __future__ import annotations

from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.models import MUNICIPALITY_COUNT, Municipality

# Each part of the portal that has demo content exposes ``seed(stdout)`` in these modules, in this order.
SEEDERS = [
    "psm_portal.demo",
    "phases.demo",
    "projects.demo",
    "surveys.demo",
    "vocations.demo",
    "plan.demo",
    # The subscriber first: what the next apps publish is in the first digest.
    "subscriptions.demo",
    "implementation.demo",
    "tables.demo",
    "outcomes.demo",
    "news.demo",
]


class Command(BaseCommand):
    help = "Crea i dati dimostrativi (utenti per ogni ruolo, uffici, contenuti). Si può rieseguire."

    def handle(self, *args, **options):
        if Municipality.objects.count() != MUNICIPALITY_COUNT:
            call_command("load_municipalities", stdout=self.stdout)
        for name in SEEDERS:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise CommandError(str(exc)) from exc
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dati dimostrativi pronti."))
