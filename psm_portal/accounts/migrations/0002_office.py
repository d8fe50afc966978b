# The office moves here from projects. Step 2 of 3: the model exists in this app over the renamed table
# (no database change) and the staff's link points at it. The content type and the audit log follow,
# so permissions and the log of earlier acts still find the offices.

import django.db.models.deletion
from django.db import migrations, models


def relabel(apps, schema_editor, old="projects.office", new="accounts.office"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    old_app, old_model = old.split(".")
    new_app, new_model = new.split(".")
    if not ContentType.objects.filter(app_label=new_app, model=new_model).exists():
        ContentType.objects.filter(app_label=old_app, model=old_model).update(app_label=new_app, model=new_model)
    AuditEvent.objects.filter(object_type=old).update(object_type=new)


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, old="accounts.office", new="projects.office")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('projects', '0004_office_table_to_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Office',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=30, unique=True, verbose_name='codice')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='nome')),
                        ('head', models.CharField(blank=True, max_length=150, verbose_name='responsabile')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                    ],
                    options={
                        'verbose_name': 'ufficio',
                        'verbose_name_plural': 'uffici',
                        'ordering': ['name'],
                    },
                ),
                migrations.AlterField(
                    model_name='user',
                    name='office',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='accounts.office', verbose_name='ufficio'),
                ),
            ],
        ),
        migrations.RunPython(relabel, unrelabel),
    ]
