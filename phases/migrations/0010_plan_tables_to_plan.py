# The plan documents and the discussion of the draft move to the top-level app plan. Step 1 of 3: their
# tables take the names the new app gives them, the discussion's index a name of its own; rows, ids, PDF
# files and foreign keys stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('phases', '0009_needs'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RenameIndex(
                    model_name='plancomment', new_name='plancomment_thread_idx', old_name='phases_plan_documen_313df3_idx'
                ),
                migrations.AlterModelTable(name='plandocument', table='plan_plandocument'),
                migrations.AlterModelTable(name='plancomment', table='plan_plancomment'),
            ],
            state_operations=[],
        ),
    ]
