"""The working tables' services: members, invitations (one e-mail per person per version), the reminder once,
answers with capacity and delegates, attendance, minutes, contributions, outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.factories import ProjectFactory, ProposalFactory
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from tables.models import Answer, MinutesState
from tables.services import (
    attendance_record,
    contribution_reply,
    contribution_submit,
    invitation_answer,
    invitations_send,
    member_users,
    minutes_publish,
    minutes_save,
    outcome_create,
    reminders_send,
    table_save,
)
from tests.tables.conftest import schedule


@pytest.mark.django_db
def test_members_are_the_mayor_the_office_staff_and_the_organisations_stakeholders(
    table, mayor_a, mayor_b, office_a_user, office_b_user, stakeholder_user, team_user
):
    UserFactory(email="altro@test.local", role=Role.STAKEHOLDER, organisation="Legambiente")
    assert set(member_users(table)) == {mayor_a, office_a_user, stakeholder_user}


@pytest.mark.django_db
def test_a_table_needs_one_coordinator_and_a_member(team_user, office_a, messina, mayor_a):
    with pytest.raises(ValidationError, match="coordinatore"):
        table_save(user=team_user, title="T", theme="t", phase="agenda", municipalities=[messina])
    with pytest.raises(ValidationError, match="almeno un membro"):
        table_save(user=team_user, title="T", theme="t", phase="agenda", coordinator_office=office_a)
    with pytest.raises(ValidationError, match="team PSM"):
        table_save(user=mayor_a, title="T", theme="t", phase="agenda", coordinator_office=office_a)


@pytest.mark.django_db
def test_one_invitation_email_per_member_per_version(session, mayor_a, office_a_user, stakeholder_user):
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mayor_a.email, office_a_user.email, stakeholder_user.email])
    mail.outbox.clear()
    assert invitations_send(session=session) == 0  # sent again: nothing new to send
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminder_goes_out_once_the_day_before(session, mayor_a, office_a_user, stakeholder_user):
    invitation_answer(user=office_a_user, session=session, answer=Answer.DECLINE)
    mail.outbox.clear()
    assert reminders_send() == 0  # three days before: not yet
    day_before = timezone.localtime(session.starts_at) - timedelta(days=1)
    with time_machine.travel(day_before, tick=False):
        assert reminders_send() == 2
        assert reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mayor_a.email, stakeholder_user.email])
    assert all("Promemoria" in m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_capacity_and_delegate(table, team_user, mayor_a, office_a_user, stakeholder_user, commits):
    with commits():
        session = schedule(team_user, table, capacity=1)
    with pytest.raises(ValidationError, match="delegato"):
        invitation_answer(user=mayor_a, session=session, answer=Answer.DELEGATE)
    invitation = invitation_answer(user=mayor_a, session=session, answer=Answer.DELEGATE, delegate_name="Ada Rossi")
    assert invitation.delegate_name == "Ada Rossi"
    with pytest.raises(ValidationError, match="esauriti"):
        invitation_answer(user=office_a_user, session=session, answer=Answer.ATTEND)
    invitation_answer(user=mayor_a, session=session, answer=Answer.ATTEND)  # changing one's answer keeps the seat
    invitation_answer(user=office_a_user, session=session, answer=Answer.DECLINE)


@pytest.mark.django_db
def test_attendance_only_after_the_start_and_only_of_members(session, past_session, office_a_user, table, lipari):
    member = table.members.first()
    with pytest.raises(ValidationError, match="dopo l'inizio"):
        attendance_record(user=office_a_user, session=session, people={member.pk: 2})
    with pytest.raises(ValidationError, match="non fa parte"):
        attendance_record(user=office_a_user, session=past_session, people={999999: 2})
    attendance_record(user=office_a_user, session=past_session, people={member.pk: 2})
    past_session.refresh_from_db()
    assert past_session.attendees_total == 2


@pytest.mark.django_db
def test_published_minutes_are_frozen(past_session, office_a_user, mayor_a):
    with pytest.raises(ValidationError, match="coordinatore"):
        minutes_save(user=mayor_a, session=past_session, html="<p>x</p>")
    with pytest.raises(ValidationError, match="bozza"):
        minutes_publish(user=office_a_user, session=past_session)
    minutes_save(user=office_a_user, session=past_session, html="<p>Testo</p>")
    minutes_publish(user=office_a_user, session=past_session)
    assert past_session.minutes_state == MinutesState.PUBLISHED
    with pytest.raises(ValidationError, match="già pubblicato"):
        minutes_save(user=office_a_user, session=past_session, html="<p>Altro</p>")


@pytest.mark.django_db
def test_published_minutes_reach_the_followers_of_the_table_s_comuni_and_objectives(past_session, office_a_user):
    from phases.factories import ObjectiveFactory
    from subscriptions.models import Update, UpdateKind

    objective = ObjectiveFactory(code="A.9")
    past_session.table.objectives.add(objective)
    minutes_save(user=office_a_user, session=past_session, html="<p>Testo</p>")
    assert not Update.objects.exists()  # a draft tells nobody
    minutes_publish(user=office_a_user, session=past_session)
    update = Update.objects.get()
    assert update.kind == UpdateKind.MINUTES
    assert update.url == past_session.get_absolute_url()
    assert "Mobilità e infrastrutture" in update.title
    assert sorted(update.topics.values_list("topic", "key")) == [("comune", "083048"), ("obiettivo", "A.9")]


@pytest.mark.django_db
def test_contribution_answered_once_by_the_coordinator(table, mayor_a, mayor_b, office_a_user):
    with pytest.raises(ValidationError, match="membri"):
        contribution_submit(user=mayor_b, table=table, text="x")
    contribution = contribution_submit(user=mayor_a, table=table, text="Serve un porto")
    with pytest.raises(ValidationError, match="coordinatore"):
        contribution_reply(user=mayor_a, contribution=contribution, reply="x")
    contribution_reply(user=office_a_user, contribution=contribution, reply="Ne parliamo giovedì")
    with pytest.raises(ValidationError, match="già una risposta"):
        contribution_reply(user=office_a_user, contribution=contribution, reply="Ancora")


@pytest.mark.django_db
def test_outcome_links_to_a_proposal(table, office_a_user, mayor_a, office_a):
    project = ProjectFactory(office=office_a)
    proposal = ProposalFactory(proposer=mayor_a, project=project, state="accepted")
    outcome = outcome_create(user=office_a_user, table=table, title="Porto turistico", proposal=proposal)
    assert outcome.proposal == proposal


@pytest.mark.django_db
def test_invitations_lost_with_the_broker_are_sent_by_the_hourly_sweep(table, team_user, mayor_a, office_a_user):
    from tables.models import Session
    from tables.services import invitations_sweep

    session = schedule(team_user, table)  # no commit callbacks run: as if the broker had been down
    assert mail.outbox == []
    assert Session.objects.get(pk=session.pk).invited_sequence == -1
    assert invitations_sweep() == 3
    assert invitations_sweep() == 0
    assert Session.objects.get(pk=session.pk).invited_sequence == 0


def test_the_hourly_task_is_scheduled(settings):
    from psm_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["tables-reminders"]
    assert entry["task"] == "tables.tasks.send_session_reminders" and entry["schedule"] == 3600
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
