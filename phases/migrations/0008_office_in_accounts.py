# The office moved to psm_portal.accounts: positions and plan comments point at it there (no database change).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_office'),
        ('phases', '0007_verbose_names_of_reminders_and_keys'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='position',
                    name='office',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='positions', to='accounts.office', verbose_name='ufficio'),
                ),
                migrations.AlterField(
                    model_name='plancomment',
                    name='office',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plan_comments', to='accounts.office', verbose_name='ufficio'),
                ),
            ],
        ),
    ]
