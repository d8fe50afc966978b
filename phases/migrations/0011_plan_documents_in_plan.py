# The plan documents moved to the app plan. Step 3 of 3: this app forgets the models (no database change).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('phases', '0010_plan_tables_to_plan'),
        ('plan', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='PlanComment'),
                migrations.DeleteModel(name='PlanDocument'),
            ],
        ),
    ]
