# The istanze moved to phases. Step 3 of 3: this app forgets the models (no database change).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('municipalities', '0004_need_tables_to_phases'),
        ('phases', '0009_needs'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='NeedAttachment'),
                migrations.DeleteModel(name='Need'),
            ],
        ),
    ]
