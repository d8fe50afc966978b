"""``manage.py render_plan``: prepares the preliminary proposal or the final plan as PDF in this process, and
optionally publishes it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from plan.models import PlanKind, PlanStatus
from plan.services import plan_publish, plan_render, plan_request


class Command(BaseCommand):
    help = "Prepara ora la proposta preliminare o il piano finale in PDF e ne stampa percorso e SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=PlanKind.values, help="draft, final o annual")
        parser.add_argument("--publish", action="store_true", help="pubblica il documento su /piano/")

    def handle(self, *args, kind: str, publish: bool, **options):
        document, created = plan_request(kind=kind, user=None, enqueue=False)
        if document.status != PlanStatus.READY:
            # Rendered here, in this process: the command waits for its PDF whatever the broker.
            document = plan_render(document_id=document.pk)
        if document.status == PlanStatus.SAME:
            # The worker found the same content as an earlier version: that one is the document.
            self.stdout.write(f"{document}: stessi contenuti della {document.same_as}, nessun nuovo PDF")
            document, created = document.same_as, False
        if document.status != PlanStatus.READY:
            raise CommandError(f"{document}: preparazione non riuscita. {document.error}")
        if publish:
            try:
                plan_publish(document=document, user=None)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        try:
            path = default_storage.path(document.file.name)
        except NotImplementedError:
            path = document.file.name
        self.stdout.write(f"{document} ({'nuova versione' if created else 'stessi dati, versione esistente'})")
        self.stdout.write(f"Percorso: {path}")
        self.stdout.write(f"SHA-256: {document.sha256}")
        self.stdout.write(f"Pagine: {document.pages}")
        if publish:
            self.stdout.write("Pubblicato su /piano/.")
