"""``manage.py rebuild_tallies [slug ...]``: recompute the running counts of questionnaires from their answers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Questionnaire
from surveys.tallies import tally_rebuild


class Command(BaseCommand):
    help = "Ricalcola dai valori delle risposte i conteggi usati dalla pagina dei risultati."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="*", help="indirizzi brevi dei questionari (tutti se omessi)")

    def handle(self, *args, **options):
        questionnaires = Questionnaire.objects.all()
        if options["slug"]:
            questionnaires = questionnaires.filter(slug__in=options["slug"])
            if questionnaires.count() != len(set(options["slug"])):
                raise CommandError("Questionario inesistente.")
        for questionnaire in questionnaires:
            rows = tally_rebuild(questionnaire=questionnaire)
            self.stdout.write(f"{questionnaire.slug}: {rows} conteggi")
