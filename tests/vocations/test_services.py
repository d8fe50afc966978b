"""Rounds, answers and priorities: the database constraints, the services' rules and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from psm_portal.audit.models import AuditEvent
from tests.vocations.conftest import answer_for
from vocations import services
from vocations.models import Answer, Priority, Rating, Round, RoundStatus
from vocations.services import RatingInput

pytestmark = pytest.mark.django_db


def _all(vocations, score=3, priorities=()):
    return {v.pk: RatingInput(score, v.pk in priorities, "Perché sì" if v.pk in priorities else "") for v in vocations}


def test_one_answer_per_comune_per_round_is_a_database_constraint(open_round, messina, mayor_a):
    answer_for(open_round, messina, [3, 3, 3], author=mayor_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(round=open_round, municipality=messina, author=mayor_a)


def test_one_answer_per_office_per_round_is_a_database_constraint(open_round, office_a, office_a_user):
    Answer.objects.create(round=open_round, office=office_a, author=office_a_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(round=open_round, office=office_a, author=office_a_user)


def test_an_answer_speaks_for_a_comune_or_an_office_never_both(open_round, messina, office_a, mayor_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(round=open_round, municipality=messina, office=office_a, author=mayor_a)


def test_a_score_outside_1_5_is_refused_by_the_database(open_round, messina, mayor_a, vocations):
    answer = Answer.objects.create(round=open_round, municipality=messina, author=mayor_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(answer=answer, vocation=vocations[0], score=6)


def test_only_one_round_open_at_a_time(open_round, draft_round, team_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=draft_round.pk).update(status=RoundStatus.OPEN)
    with pytest.raises(ValidationError, match="già una consultazione aperta"):
        services.round_open(round_=draft_round, actor=team_user)


def test_opening_and_closing_are_audited(draft_round, team_user):
    services.round_open(round_=draft_round, actor=team_user)
    services.round_close(round_=draft_round, actor=team_user)
    draft_round.refresh_from_db()
    assert draft_round.is_closed and draft_round.closed_at
    actions = list(AuditEvent.objects.filter(object_type="vocations.round").values_list("action", flat=True))
    assert sorted(actions) == ["vocations.round_close", "vocations.round_open"]
    with pytest.raises(ValidationError):
        services.round_close(round_=draft_round, actor=team_user)


def test_a_mayor_answers_for_their_own_comune_and_can_change_it(open_round, vocations, mayor_a, messina):
    services.answer_submit(user=mayor_a, round_=open_round, ratings=_all(vocations, 4, {vocations[0].pk}))
    answer = services.answer_submit(user=mayor_a, round_=open_round, ratings=_all(vocations, 2))
    assert Answer.objects.get().municipality == messina
    assert sorted(answer.ratings.values_list("score", flat=True)) == [2, 2, 2]
    assert not answer.ratings.filter(priority=True).exists()


def test_more_than_three_priorities_or_a_priority_without_reason_are_refused(open_round, vocations, mayor_a, tree):
    from vocations.models import Vocation

    extra = Vocation.objects.create(slug="energia", name="Energia", description="Sole e vento", order=4)
    everything = [*vocations, extra]
    with pytest.raises(ValidationError, match="al massimo 3"):
        services.answer_submit(user=mayor_a, round_=open_round, ratings=_all(everything, 4, {v.pk for v in everything}))
    with pytest.raises(ValidationError, match="perché"):
        services.answer_submit(
            user=mayor_a,
            round_=open_round,
            ratings={**_all(everything), vocations[0].pk: RatingInput(5, True, "  ")},
        )
    with pytest.raises(ValidationError, match="da 1 a 5"):
        services.answer_submit(user=mayor_a, round_=open_round, ratings={vocations[0].pk: RatingInput(5)})
    assert not Answer.objects.exists()


def test_an_office_rates_only_the_vocations_of_its_field(open_round, vocations, office_a_user, office_b_user):
    answer = services.answer_submit(user=office_a_user, round_=open_round, ratings=_all(vocations, 5))
    assert list(answer.ratings.values_list("vocation__slug", flat=True)) == ["mare"]
    with pytest.raises(ValidationError, match="Nessuna vocazione"):
        services.answer_submit(user=office_b_user, round_=open_round, ratings=_all(vocations, 5))


@pytest.mark.parametrize("who", ["team_user", "council_user", "stakeholder_user", "secretary_user"])
def test_others_cannot_answer(open_round, vocations, cast, who):
    with pytest.raises(ValidationError):
        services.answer_submit(user=cast(who), round_=open_round, ratings=_all(vocations))


def test_nobody_answers_a_closed_round(closed_round, vocations, mayor_a):
    with pytest.raises(ValidationError, match="non è aperta"):
        services.answer_submit(user=mayor_a, round_=closed_round, ratings=_all(vocations))


def test_stakeholders_contribute_while_open(open_round, closed_round, stakeholder_user, mayor_a, vocations):
    services.contribution_add(
        user=stakeholder_user, round_=open_round, vocation=None, text="Un contributo motivato e lungo"
    )
    for user, round_ in ((mayor_a, open_round), (stakeholder_user, closed_round)):
        with pytest.raises(ValidationError):
            services.contribution_add(user=user, round_=round_, vocation=None, text="Un contributo motivato e lungo")


def test_priorities_are_published_after_closing_and_replace_the_areas_list(
    closed_round, open_round, vocations, team_user
):
    from municipalities.models import Area

    eolie = Area.objects.get(code="eolie")
    with pytest.raises(ValidationError, match="dopo la chiusura"):
        services.priorities_publish(
            round_=open_round, area=None, vocations=vocations[:1], rationale="x" * 30, evidence="", actor=team_user
        )
    services.priorities_publish(
        round_=closed_round,
        area=eolie,
        vocations=vocations[:2],
        rationale="Isole: mare e turismo, dai dati",
        evidence="/vocazioni/mare/",
        actor=team_user,
    )
    services.priorities_publish(
        round_=closed_round,
        area=eolie,
        vocations=vocations[1:2],
        rationale="Isole: turismo prima di tutto",
        evidence="",
        actor=team_user,
    )
    assert list(Priority.objects.values_list("vocation__slug", flat=True)) == ["turismo"]
    assert AuditEvent.objects.filter(action="vocations.priorities_publish").count() == 2


def test_the_reference_scenario_is_one_and_audited(team_user):
    from vocations.models import Scenario

    trend = Scenario.objects.create(slug="tendenziale", title="Tendenziale", narrative="n", assumptions="a")
    target = Scenario.objects.create(slug="obiettivo", title="Obiettivo", narrative="n", assumptions="a", order=2)
    services.scenario_choose_reference(scenario=trend, actor=team_user)
    services.scenario_choose_reference(scenario=target, actor=team_user)
    assert list(Scenario.objects.filter(is_reference=True)) == [target]
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.filter(pk=trend.pk).update(is_reference=True)
    assert AuditEvent.objects.filter(action="vocations.scenario_reference").count() == 2


def test_reminders_go_to_the_mayors_who_have_not_answered_once_a_day(
    open_round, vocations, mayor_a, mayor_b, team_user, mailoutbox, django_capture_on_commit_callbacks
):
    from vocations.models import Reminder

    services.answer_submit(user=mayor_a, round_=open_round, ratings=_all(vocations))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_enqueue(round_=open_round, actor=team_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_enqueue(round_=open_round, actor=team_user)
    assert [m.to for m in mailoutbox] == [[mayor_b.email]]
    assert "Lipari" in mailoutbox[0].body and "/area-riservata/vocazioni/rispondi/" in mailoutbox[0].body
    assert Reminder.objects.count() == 1
    assert AuditEvent.objects.filter(action="vocations.remind").count() == 2


def test_no_reminders_for_a_round_not_open(closed_round, team_user):
    with pytest.raises(ValidationError, match="aperta"):
        services.reminders_enqueue(round_=closed_round, actor=team_user)
