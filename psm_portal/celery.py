"""The Celery app. With no REDIS_URL the settings make every task run eagerly, in-process."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")

app = Celery("psm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app, psm_portal.accounts included.
app.autodiscover_tasks()
