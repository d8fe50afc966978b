# The istanze move here from municipalities. Step 2 of 3: the models exist in this app over the renamed
# tables (no database change); content types and the audit log follow them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import phases.models.needs


def relabel(apps, schema_editor, old_app="municipalities", new_app="phases"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for model in ("need", "needattachment"):
        if not ContentType.objects.filter(app_label=new_app, model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
        AuditEvent.objects.filter(object_type=f"{old_app}.{model}").update(object_type=f"{new_app}.{model}")


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, old_app="phases", new_app="municipalities")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('municipalities', '0004_need_tables_to_phases'),
        ('phases', '0008_office_in_accounts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Need',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='titolo')),
                        ('description', models.TextField(max_length=10000, verbose_name='descrizione')),
                        ('theme', models.CharField(choices=[('mobility', 'Mobilità e infrastrutture'), ('environment', 'Ambiente e territorio'), ('economy', 'Sviluppo economico e lavoro'), ('tourism', 'Turismo e cultura'), ('social', 'Servizi sociali e istruzione'), ('digital', 'Innovazione e digitale'), ('other', 'Altro')], max_length=20, verbose_name='tema')),
                        ('status', models.CharField(choices=[('received', 'ricevuta'), ('taken', 'presa in considerazione'), ('not_taken', 'non presa in considerazione')], default='received', max_length=10, verbose_name='esito')),
                        ('tags', models.CharField(blank=True, help_text='Separate da virgole.', max_length=300, verbose_name='etichette')),
                        ('reply', models.TextField(blank=True, max_length=10000, verbose_name='risposta del team PSM')),
                        ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='risposta del')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='inviata il')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='inviata da')),
                        ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='needs', to='municipalities.municipality', verbose_name='comune')),
                        ('objectives', models.ManyToManyField(blank=True, related_name='needs', to='phases.objective', verbose_name='obiettivi generali collegati')),
                        ('replied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='risposta di')),
                    ],
                    options={
                        'verbose_name': 'istanza',
                        'verbose_name_plural': 'istanze',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='NeedAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=200, upload_to=phases.models.needs.need_upload_to, verbose_name='file')),
                        ('name', models.CharField(max_length=200, verbose_name='nome del file')),
                        ('size', models.PositiveIntegerField(verbose_name='dimensione (byte)')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='caricato il')),
                        ('need', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='phases.need', verbose_name='istanza')),
                    ],
                    options={
                        'verbose_name': "allegato dell'istanza",
                        'verbose_name_plural': 'allegati delle istanze',
                        'ordering': ['pk'],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel, unrelabel),
    ]
