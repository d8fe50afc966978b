from datetime import timedelta

from django.db import migrations
from django.utils import timezone

PHASES = [
    ("listening", 1, "Il team PSM pubblica la bozza di Visione e gli obiettivi generali; sindaci e uffici prendono "
     "posizione, gli uffici condividono il parco progettuale, i cittadini rispondono al questionario e i comuni "
     "inviano le istanze."),
    ("agenda", 2, "I tavoli di lavoro definiscono obiettivi specifici, vocazioni, scenari e proposte di progetto; la "
     "proposta preliminare di piano è discussa con i 108 comuni."),
    ("final", 3, "Il Consiglio metropolitano approva i progetti e l'agenda annuale delle azioni; il piano finale è "
     "pubblicato e la sua attuazione rendicontata."),
]


def create_phases(apps, schema_editor):
    # Three consecutive 90-day phases from the day of installation; the PSM team adjusts them.
    Phase = apps.get_model("phases", "Phase")
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    for index, (key, order, description) in enumerate(PHASES):
        Phase.objects.get_or_create(
            key=key,
            defaults={
                "order": order,
                "description": description,
                "starts_at": start + timedelta(days=90 * index),
                "ends_at": start + timedelta(days=90 * (index + 1)),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("phases", "0001_phases")]
    operations = [migrations.RunPython(create_phases, migrations.RunPython.noop)]
