# The territorial areas: each comune in exactly one (a non-null key), the 108 comuni first put in their default
# area (municipalities/data/areas_default.csv, rationale in municipalities/data/README.md).

import django.db.models.deletion
from django.db import migrations, models


def default_grouping(apps, schema_editor):
    from municipalities.areas import DEFAULT_AREAS, default_area_of

    Area = apps.get_model("municipalities", "Area")
    Municipality = apps.get_model("municipalities", "Municipality")
    areas = {}
    for code, (name, order, colour) in DEFAULT_AREAS.items():
        areas[code], _created = Area.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "colour": colour}
        )
    grouping = default_area_of()
    for municipality in Municipality.objects.all():
        municipality.area = areas[grouping[municipality.istat_code]]
        municipality.save(update_fields=["area"])


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0005_needs_in_phases"),
    ]

    operations = [
        migrations.CreateModel(
            name="Area",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="codice")),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="nome")),
                ("description", models.TextField(blank=True, verbose_name="descrizione")),
                ("colour", models.CharField(default="#0072b2", max_length=7, verbose_name="colore sulle mappe")),
                ("order", models.PositiveSmallIntegerField(default=1, verbose_name="ordine")),
            ],
            options={
                "verbose_name": "ambito territoriale",
                "verbose_name_plural": "ambiti territoriali",
                "ordering": ["order", "name"],
            },
        ),
        migrations.AddField(
            model_name="municipality",
            name="area",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="municipalities",
                to="municipalities.area",
                verbose_name="ambito territoriale",
            ),
        ),
        migrations.RunPython(default_grouping, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="municipality",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="municipalities",
                to="municipalities.area",
                verbose_name="ambito territoriale",
            ),
        ),
    ]
