"""Notices of formal acts go once, through the worker: an office whose report is sent back, everybody concerned
when a version of the plan is published; a notice that failed is sent by the retried task."""

from __future__ import annotations

import pytest
from django.core import mail

from implementation.services import report_return, report_submit
from implementation.tasks import notify_report_returned
from outcomes.models import Notice
from outcomes.notices import notice_send
from plan.services import plan_publish
from plan.tasks import notify_plan_published
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from tests.implementation.conftest import cycle, final_phase, project_a, report_data, tree  # noqa: F401
from tests.plan.conftest import make_document

pytestmark = pytest.mark.django_db


def test_a_notice_goes_once_per_key_and_a_failure_releases_it(monkeypatch):
    assert notice_send(key="k", recipients=["a@x.it", "b@x.it", "a@x.it", ""], subject="S", body="B") == 2
    assert notice_send(key="k", recipients=["a@x.it"], subject="S", body="B") == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.it", "b@x.it"]

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("outcomes.notices.send_mass_mail", broken)
    with pytest.raises(ConnectionError):
        notice_send(key="other", recipients=["a@x.it"], subject="S", body="B")
    assert not Notice.objects.filter(key="other").exists()  # the retry will send it
    assert notice_send(key="none", recipients=[], subject="S", body="B") == 0


def test_a_returned_report_tells_its_office_once(
    final_phase,  # noqa: F811
    office_a_user,
    office_a,
    office_b_user,
    team_user,
    project_a,  # noqa: F811
    cycle,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    colleague = UserFactory(email="collega@ufficio-a.test", role=Role.OFFICE, office=office_a)
    report = report_submit(user=office_a_user, cycle=cycle, subject=project_a, **report_data())
    with django_capture_on_commit_callbacks(execute=True):
        report_return(user=team_user, report=report, reason="Mancano le date.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([office_a_user.email, colleague.email])
    assert notify_report_returned.delay(report.pk).get() == 0
    assert len(mail.outbox) == 2


def test_a_published_plan_tells_everybody_concerned_once(
    team_user, mayor_a, office_a_user, council_user, stakeholder_user, django_capture_on_commit_callbacks
):
    document = make_document()
    with django_capture_on_commit_callbacks(execute=True):
        plan_publish(document=document, user=team_user)
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted(u.email for u in [mayor_a, office_a_user, council_user, stakeholder_user])
    assert "/piano/" in mail.outbox[0].body and "Proposta preliminare" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        plan_publish(document=document, user=team_user)  # already published: nothing new
    assert notify_plan_published.delay(document.pk).get() == 0
    assert len(mail.outbox) == 4
