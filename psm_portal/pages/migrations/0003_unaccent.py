"""The ``unaccent`` extension for the portal's search (``psm_portal.lib.search``): accent-insensitive full-text search
on PostgreSQL. Django's operation does nothing on another database (SQLite in development and the tests)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_default_pages")]

    operations = [UnaccentExtension()]
