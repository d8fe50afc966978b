# The plan documents and the discussion of the draft move here from phases (the plan reads every part of
# the portal, and no part imports it). Step 2 of 3: the models exist in this app over the tables that
# phases 0010 renamed (no database change); content types and the audit log follow them. Rows, PDF files
# and addresses stay as they were.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel(apps, schema_editor, old_app="phases", new_app="plan"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for model in ("plandocument", "plancomment"):
        if not ContentType.objects.filter(app_label=new_app, model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
        AuditEvent.objects.filter(object_type=f"{old_app}.{model}").update(object_type=f"{new_app}.{model}")


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, old_app="plan", new_app="phases")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_office'),
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('municipalities', '0005_needs_in_phases'),
        ('phases', '0010_plan_tables_to_plan'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PlanDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('draft', 'Proposta preliminare di piano'), ('final', 'Piano finale')], max_length=10, verbose_name='documento')),
                        ('version', models.PositiveIntegerField(verbose_name='versione')),
                        ('status', models.CharField(choices=[('queued', 'in coda'), ('rendering', 'in preparazione'), ('ready', 'pronto'), ('failed', 'non riuscito'), ('same', 'uguale a una versione precedente')], default='queued', max_length=10, verbose_name='stato')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='avanzamento (%)')),
                        ('error', models.TextField(blank=True, verbose_name='errore')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='tentativi')),
                        ('claim', models.CharField(blank=True, editable=False, max_length=32)),
                        ('requested_at', models.DateTimeField(verbose_name='richiesto il')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='iniziato il')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminato il')),
                        ('data_fingerprint', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='impronta rapida dei dati')),
                        ('snapshot', models.JSONField(blank=True, null=True, verbose_name='dati del documento')),
                        ('content_hash', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='impronta dei dati')),
                        ('file', models.FileField(blank=True, max_length=200, upload_to='piano/', verbose_name='PDF')),
                        ('sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256')),
                        ('size', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='dimensione (byte)')),
                        ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='pagine')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='pubblicato il')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='pubblicato da')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='richiesto da')),
                        ('same_as', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plan.plandocument', verbose_name='uguale alla versione')),
                    ],
                    options={
                        'verbose_name': 'documento del piano',
                        'verbose_name_plural': 'documenti del piano',
                        'ordering': ['-requested_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PlanComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('section', models.CharField(choices=[('intro', 'Introduzione e fasi del processo'), ('vision', 'La Visione'), ('objectives', 'Obiettivi e indicatori'), ('projects', 'I progetti per obiettivo specifico'), ('questionnaire', 'I risultati del questionario'), ('maps', 'Il territorio: partecipazione e progetti'), ('annex', 'Allegato: i 108 comuni')], max_length=20, verbose_name='sezione')),
                        ('body', models.TextField(max_length=4000, verbose_name='commento')),
                        ('from_team', models.BooleanField(default=False, verbose_name='risposta del team PSM')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='scritto il')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='autore')),
                        ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plan_comments', to='municipalities.municipality', verbose_name='comune')),
                        ('office', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plan_comments', to='accounts.office', verbose_name='ufficio')),
                        ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='plan.plandocument', verbose_name='documento')),
                    ],
                    options={
                        'verbose_name': 'commento alla proposta preliminare',
                        'verbose_name_plural': 'commenti alla proposta preliminare',
                        'ordering': ['created_at', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='plandocument',
                    constraint=models.UniqueConstraint(fields=('kind', 'version'), name='plandocument_unique_version'),
                ),
                migrations.AddConstraint(
                    model_name='plandocument',
                    constraint=models.UniqueConstraint(condition=models.Q(models.Q(('status__in', ['failed', 'same']), _negated=True), models.Q(('data_fingerprint', ''), _negated=True)), fields=('kind', 'data_fingerprint'), name='plandocument_unique_live_fingerprint'),
                ),
                migrations.AddConstraint(
                    model_name='plandocument',
                    constraint=models.UniqueConstraint(condition=models.Q(models.Q(('status__in', ['failed', 'same']), _negated=True), models.Q(('content_hash', ''), _negated=True)), fields=('kind', 'content_hash'), name='plandocument_unique_live_data'),
                ),
                migrations.AddConstraint(
                    model_name='plandocument',
                    constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='plandocument_progress_le_100'),
                ),
                migrations.AddIndex(
                    model_name='plancomment',
                    index=models.Index(fields=['document', 'section', 'municipality', 'office'], name='plancomment_thread_idx'),
                ),
                migrations.AddConstraint(
                    model_name='plancomment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('municipality__isnull', False), ('office__isnull', True)), models.Q(('municipality__isnull', True), ('office__isnull', False)), _connector='OR'), name='plancomment_one_participant'),
                ),
            ],
        ),
        migrations.RunPython(relabel, unrelabel),
    ]
