"""``manage.py load_municipalities``: loads or updates the 108 comuni from the reference files (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipalities.services import DEFAULT_CSV, DEFAULT_GEOJSON, MunicipalityDataError, municipalities_load


class Command(BaseCommand):
    help = "Carica o aggiorna i 108 comuni della Città Metropolitana di Messina (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="file CSV dei comuni")
        parser.add_argument("--geojson", type=Path, default=DEFAULT_GEOJSON, help="file GeoJSON dei confini")

    def handle(self, *args, csv: Path, geojson: Path, **options):
        try:
            result = municipalities_load(csv_path=csv, geojson_path=geojson)
        except MunicipalityDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Comuni: {result.total} ({result.created} creati, {result.updated} aggiornati, "
                f"{result.unchanged} invariati)."
            )
        )
