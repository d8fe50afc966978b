"""``manage.py purge_imports [--days N]``: delete the files of import previews left unconfirmed for N days (7)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from projects.services.imports import import_purge_stale


class Command(BaseCommand):
    help = "Cancella i file delle importazioni di progetti in anteprima non confermate da più di N giorni."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="giorni dopo i quali l'anteprima scade (7)")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days deve essere almeno 1.", returncode=1)
        purged = import_purge_stale(days=days)
        self.stdout.write(f"Anteprime scadute: {purged}.")
