"""The services of implementation: offices report only on their own projects and actions, a report is never
overwritten, the team validates or returns it with a reason, every act audited; the gate and the e-mails."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from implementation.factories import ReportingCycleFactory
from implementation.models import ProgressReport, ReportingCycle, ReportReminder, Review
from implementation.services import (
    cycle_create,
    reminders_send,
    report_return,
    report_submit,
    report_validate,
)
from psm_portal.audit.models import AuditEvent
from tests.files import fake_pdf, pdf
from tests.implementation.conftest import report_data

pytestmark = pytest.mark.django_db


def test_an_office_reports_on_its_project(final_phase, office_a_user, project_a, cycle):
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    assert report.review == Review.SUBMITTED and not report.current
    assert report.office == project_a.office and report.author == office_a_user
    assert report.committed_total == Decimal("300000") and report.paid_total == Decimal("120000")
    assert [m.title for m in report.milestones.all()] == ["Consegna dei lavori"]
    assert AuditEvent.objects.for_object(report).get().action == "report.submit"


def test_an_office_reports_on_its_action(final_phase, office_a_user, action_a, cycle):
    report = report_submit(user=office_a_user, cycle=cycle, subject=action_a, **report_data(funding=[]))
    assert report.action == action_a and report.project is None


@pytest.mark.parametrize("name", ["office_b_user", "mayor_a", "council_user", "stakeholder_user"])
def test_nobody_else_reports_on_an_office_project(name, cast, final_phase, project_a, action_a, cycle):
    user = cast(name)
    for subject in (project_a, action_a):
        with pytest.raises(ValidationError, match="solo i progetti e le azioni del vostro ufficio"):
            report_submit(user=user, cycle=cycle, subject=subject, **report_data())
    assert not ProgressReport.objects.exists()


def test_the_team_reports_on_any_project(final_phase, team_user, project_b, cycle):
    assert report_submit(user=team_user, cycle=cycle, subject=project_b, **report_data()).office == project_b.office


def test_a_draft_project_is_not_reported(final_phase, office_a_user, project_a, cycle):
    project_a.publication = "draft"
    project_a.save()
    with pytest.raises(ValidationError):
        report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())


def test_a_cycle_not_yet_open_refuses(final_phase, office_a_user, project_a):
    later = ReportingCycleFactory(opens_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError, match="non è ancora aperto"):
        report_submit(user=office_a_user, cycle=later, subject=project_a, **report_data())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"percent": 101}, "da 0 a 100"),
        ({"progress": "completed", "percent": 90}, "100%"),
        ({"progress": "not_started", "percent": 5}, "0%"),
        ({"progress": "exploded"}, "sconosciuto"),
        ({"funding": [{"source": "pnrr", "committed": Decimal("10"), "paid": Decimal("11")}]}, "supera"),
        (
            {"funding": [{"source": "pnrr", "committed": 1, "paid": 0}, {"source": "pnrr", "committed": 1, "paid": 0}]},
            "due volte",
        ),
        ({"funding": [{"source": "bitcoin", "committed": 1, "paid": 0}]}, "sconosciuta"),
        ({"milestones": [{"title": "Collaudo", "planned_on": None}]}, "data prevista"),
        (
            {
                "milestones": [
                    {
                        "title": "Collaudo",
                        "planned_on": timezone.localdate(),
                        "achieved_on": date(2199, 1, 1),
                    }
                ]
            },
            "futura",
        ),
    ],
)
def test_bad_reports_are_refused_in_italian(final_phase, office_a_user, project_a, cycle, changes, message):
    with pytest.raises(ValidationError, match=message):
        report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data(**changes))
    assert not ProgressReport.objects.exists()


def test_one_report_awaits_review_at_a_time(final_phase, office_a_user, project_a, cycle):
    report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    with pytest.raises(ValidationError, match="in attesa di verifica"):
        report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())


def test_a_returned_report_is_kept_and_a_new_one_follows(
    final_phase, office_a_user, team_user, project_a, cycle, django_capture_on_commit_callbacks
):
    first = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data(percent=40))
    with django_capture_on_commit_callbacks(execute=True):
        report_return(user=team_user, report=first, reason="Mancano gli importi FSC.")
    first.refresh_from_db()
    assert first.review == Review.RETURNED and first.return_reason == "Mancano gli importi FSC."
    assert [message.to for message in mail.outbox] == [[office_a_user.email]]
    assert "Mancano gli importi FSC." in mail.outbox[0].body
    second = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data(percent=45))
    report_validate(user=team_user, report=second)
    # The history keeps both; the first one unchanged.
    assert list(project_a.progress_reports.order_by("pk").values_list("percent", "review", "current")) == [
        (40, "returned", False),
        (45, "validated", True),
    ]
    assert [
        e.action for e in AuditEvent.objects.filter(object_type="implementation.progressreport").order_by("pk")
    ] == [
        "report.submit",
        "report.return",
        "report.submit",
        "report.validate",
    ]
    with pytest.raises(ValidationError, match="già stata validata"):
        report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())


def test_a_return_needs_a_reason(final_phase, office_a_user, team_user, project_a, cycle):
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    with pytest.raises(ValidationError, match="motivo"):
        report_return(user=team_user, report=report, reason="  ")


@pytest.mark.parametrize("name", ["office_a_user", "office_b_user", "mayor_a", "council_user"])
def test_only_the_team_reviews(name, cast, final_phase, office_a_user, project_a, cycle):
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    with pytest.raises(ValidationError, match="Solo il team PSM"):
        report_validate(user=cast(name), report=report)
    with pytest.raises(ValidationError, match="Solo il team PSM"):
        report_return(user=cast(name), report=report, reason="No")


def test_a_report_is_reviewed_once(final_phase, office_a_user, team_user, project_a, cycle):
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    report_validate(user=team_user, report=report)
    with pytest.raises(ValidationError, match="già stata verificata"):
        report_return(user=team_user, report=report, reason="Ripensamento")


def test_a_late_validation_of_an_older_cycle_keeps_the_newer_current(final_phase, office_a_user, team_user, project_a):
    old = ReportingCycleFactory(title="I trimestre", opens_on=timezone.localdate() - timedelta(days=100))
    new = ReportingCycleFactory(title="II trimestre", opens_on=timezone.localdate() - timedelta(days=10))
    late = report_submit(user=office_a_user, cycle=old, subject=project_a, **report_data(percent=20))
    recent = report_submit(user=office_a_user, cycle=new, subject=project_a, **report_data(percent=60))
    report_validate(user=team_user, report=recent)
    report_validate(user=team_user, report=late)
    assert ProgressReport.objects.current().get().pk == recent.pk


def test_a_document_is_checked_by_content(final_phase, office_a_user, project_a, cycle):
    with pytest.raises(ValidationError):
        report_submit(
            user=office_a_user,
            cycle=cycle,
            subject=project_a,
            document=fake_pdf("relazione.pdf"),
            **report_data(),
        )
    report = report_submit(
        user=office_a_user,
        cycle=cycle,
        subject=project_a,
        document=pdf("relazione SAL.pdf"),
        **report_data(),
    )
    assert report.document.name.startswith("private/implementation/") and report.document.name.endswith(".pdf")
    assert report.document_name == "relazione SAL.pdf"


def test_a_cycle_opening_today_emails_the_offices_once(
    final_phase, team_user, office_a_user, office_b_user, project_a, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        cycle = cycle_create(
            user=team_user, title="III trimestre 2027", opens_on=today, closes_on=today + timedelta(days=30)
        )
    # Only office A has something to report.
    assert [message.to for message in mail.outbox] == [[office_a_user.email]]
    assert "III trimestre 2027" in mail.outbox[0].subject
    assert ReportingCycle.objects.get(pk=cycle.pk).notified_at is not None
    from implementation.services import cycle_notify

    assert cycle_notify(cycle=cycle) == 0
    assert AuditEvent.objects.for_object(cycle).get().action == "cycle.create"


def test_cycles_are_the_teams(final_phase, office_a_user, team_user):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Solo il team PSM"):
        cycle_create(user=office_a_user, title="Ciclo", opens_on=today, closes_on=today)
    with pytest.raises(ValidationError, match="chiudersi prima"):
        cycle_create(user=team_user, title="Ciclo", opens_on=today, closes_on=today - timedelta(days=1))


def test_reminders_once_a_day_for_what_is_overdue(final_phase, office_a_user, office_b_user, project_a, project_b):
    today = timezone.localdate()
    closed = ReportingCycleFactory(opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=10))
    ProgressReport.objects.create(
        cycle=closed, project=project_b, office=project_b.office, progress="on_track", percent=10
    )
    assert reminders_send() == 1
    assert [message.to for message in mail.outbox] == [[office_a_user.email]]
    assert "1 progetti" in mail.outbox[0].body
    assert reminders_send() == 0  # claimed for today
    assert ReportReminder.objects.count() == 1
