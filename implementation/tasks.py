"""Celery tasks of implementation tracking: thin, they take ids and call services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from implementation.models import ProgressReport, ReportingCycle
from implementation.services import cycle_notify, cycles_notify_opened, reminders_send, report_returned_notify


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_cycle_opened(self, cycle_id: int) -> int:
    """Tell the office staff that a reporting cycle is open (once per cycle)."""
    cycle = ReportingCycle.objects.filter(pk=cycle_id).first()
    return cycle_notify(cycle=cycle) if cycle else 0


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_report_returned(self, report_id: int) -> int:
    """Tell a report's author that the team sent it back, and why."""
    report = ProgressReport.objects.filter(pk=report_id).select_related("author").first()
    return report_returned_notify(report=report) if report else 0


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_report_reminders(self) -> int:
    """Daily (Celery beat): announce the cycles that opened today, remind the offices of overdue reports."""
    return cycles_notify_opened() + reminders_send()
