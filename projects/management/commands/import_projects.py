"""``manage.py import_projects FILE --office CODE [--dry-run]``: exit 0 when every row is (or would be) imported, 1 otherwise."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.importer import read_import
from projects.services.imports import import_write
from psm_portal.accounts.models import Office


class Command(BaseCommand):
    help = "Importa i progetti di un ufficio da un file CSV o XLSX (tutte le righe o nessuna)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="il file CSV o XLSX")
        parser.add_argument("--office", required=True, help="il codice dell'ufficio (es. viabilita)")
        parser.add_argument("--dry-run", action="store_true", help="controlla il file senza scrivere nulla")

    def handle(self, *args, file: str, office: str, dry_run: bool, **options):
        found = Office.objects.filter(code=office).first()
        if found is None:
            codes = ", ".join(Office.objects.values_list("code", flat=True)) or "nessuno"
            self._fail(f"Ufficio «{office}» sconosciuto. Uffici: {codes}.")
        path = Path(file)
        if not path.is_file():
            self._fail(f"File non trovato: {file}")
        preview = read_import(path.read_bytes(), office=found)
        for note in preview.notes:
            self.stdout.write(note)
        if preview.errors:
            for error in preview.errors:
                where = f"riga {error.row}, colonna «{error.column}»: " if error.row else ""
                self.stderr.write(f"{where}{error.message}")
            count = len(preview.errors)
            self._fail(f"{count} {'errore' if count == 1 else 'errori'}: nessun progetto importato.")
        if dry_run:
            self.stdout.write(
                f"Prova senza scrittura: {preview.to_create} progetti da creare, {preview.to_update} da aggiornare."
            )
            return
        created, updated = import_write(preview=preview, office=found, actor=None, file_name=path.name, audited=found)
        self.stdout.write(self.style.SUCCESS(f"Importati: {created} progetti creati, {updated} aggiornati."))

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=1)
