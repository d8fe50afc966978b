"""The Portale PSM Messina's project package; it loads the Celery app so that ``shared_task`` finds it."""

from psm_portal.celery import app as celery_app

__all__ = ("celery_app",)
