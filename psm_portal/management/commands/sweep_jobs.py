from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from psm_portal.tasks import sweep_stale_jobs_now


class Command(BaseCommand):
    help = (
        "Riprende i lavori rimasti a metà (importazioni, documenti del piano, distribuzione delle risposte) "
        "il cui worker si è fermato; è ciò che Celery beat esegue ogni minuto. Senza worker (nessun REDIS_URL) "
        "i lavori ripresi girano in questo processo."
    )

    def handle(self, *args, **options):
        handled, failed = sweep_stale_jobs_now()
        self.stdout.write("Lavori ripresi: " + ", ".join(f"{name} {count}" for name, count in handled.items()) + ".")
        if failed:
            raise CommandError("Controllo non riuscito per: " + ", ".join(failed) + " (vedi il log).")
