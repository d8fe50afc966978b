# The office moves to psm_portal.accounts (the organisation the staff belong to). Step 1 of 3: its table
# takes the name the new app gives it; the rows, their ids and every foreign key pointing at them stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_project_objectives'),
        ('phases', '0007_verbose_names_of_reminders_and_keys'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name='office', table='accounts_office')],
            state_operations=[],
        ),
    ]
