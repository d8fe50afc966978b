# The istanze move to phases (they link a comune to the objectives, so they sit above both). Step 1 of 3:
# their tables (and the link table to the objectives) take the names the new app gives them; rows, ids,
# files and foreign keys stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('municipalities', '0003_needattachment_uploaded_at_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='need', table='phases_need'),
                migrations.AlterModelTable(name='needattachment', table='phases_needattachment'),
            ],
            state_operations=[],
        ),
    ]
