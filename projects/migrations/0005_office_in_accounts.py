# The office moves to psm_portal.accounts. Step 3 of 3: projects and imports point at it there, and this
# app forgets the model (no database change: the table was renamed in 0004 and now belongs to accounts).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_office'),
        ('phases', '0008_office_in_accounts'),
        ('projects', '0004_office_table_to_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='project',
                    name='office',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='accounts.office', verbose_name='ufficio'),
                ),
                migrations.AlterField(
                    model_name='projectimport',
                    name='office',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='accounts.office', verbose_name='ufficio'),
                ),
                migrations.DeleteModel(name='Office'),
            ],
        ),
    ]
