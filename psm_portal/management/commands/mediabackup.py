"""django-dbbackup's ``mediabackup``, leaving out the backups themselves when they live in the media's bucket."""

from __future__ import annotations

from dbbackup.management.commands import mediabackup
from django.conf import settings


class Command(mediabackup.Command):
    def _explore_storage(self):
        skip = settings.BACKUP_MEDIA_SKIP_PREFIX
        for name in super()._explore_storage():
            if not skip or not (name == skip or name.startswith(skip + "/")):
                yield name
