"""What implementation tells the subscribers: a validated report is an update of its comuni and objectives, with
each milestone no earlier validated report had; a returned report tells nobody."""

from __future__ import annotations

import pytest
from django.utils import timezone

from implementation.factories import ReportingCycleFactory
from implementation.services import report_return, report_submit, report_validate
from subscriptions.models import Update, UpdateKind
from tests.implementation.conftest import report_data

pytestmark = pytest.mark.django_db


def topics(update: Update) -> set[tuple[str, str]]:
    return set(update.topics.values_list("topic", "key"))


def test_a_validated_project_report_is_an_update_of_its_comuni_and_objectives(
    final_phase, office_a_user, team_user, project_a, cycle, messina
):
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    assert not Update.objects.exists()
    report_validate(user=team_user, report=report)
    progress = Update.objects.get(kind=UpdateKind.PROGRESS)
    assert progress.url == project_a.get_absolute_url() and "40%" in progress.title
    assert topics(progress) == {("comune", messina.istat_code), ("obiettivo", "A1.1")}
    milestone = Update.objects.get(kind=UpdateKind.MILESTONE)
    assert "Consegna dei lavori" in milestone.title and topics(milestone) == topics(progress)

    # The next cycle's report with the same milestone and a new one: only the new one is news.
    later = ReportingCycleFactory(title="III trimestre 2027", opens_on=timezone.localdate())
    milestones = report_data()["milestones"] + [{"title": "Collaudo", "planned_on": timezone.localdate()}]
    second = report_submit(
        user=office_a_user, cycle=later, subject=project_a, **report_data(percent=60, milestones=milestones)
    )
    report_validate(user=team_user, report=second)
    titles = list(Update.objects.filter(kind=UpdateKind.MILESTONE).values_list("title", flat=True))
    assert len(titles) == 2 and any("Collaudo" in t for t in titles)


def test_an_action_report_goes_to_its_projects_comuni_and_its_objective(
    final_phase, office_a_user, team_user, action_a, cycle, messina
):
    report = report_submit(user=office_a_user, cycle=cycle, subject=action_a, **report_data(funding=[]))
    report_validate(user=team_user, report=report)
    assert topics(Update.objects.get(kind=UpdateKind.PROGRESS)) == {
        ("comune", messina.istat_code),
        ("obiettivo", "A1.2"),
    }


def test_a_returned_report_is_no_update(final_phase, office_a_user, team_user, project_a, cycle):
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    report_return(user=team_user, report=report, reason="Mancano i documenti.")
    assert not Update.objects.exists()
