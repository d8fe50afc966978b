"""The coverage dashboard, reminders, and query counts independent of the data."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Municipality
from phases.coverage import STATE_PALETTE
from phases.factories import ObjectiveFactory, PositionFactory
from phases.models import Objective, Position, Reminder, Stance
from phases.services import reminders_send
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role

pytestmark = pytest.mark.django_db

ANSWERED_FILL = STATE_PALETTE["answered"][0]
PARTIAL_FILL = STATE_PALETTE["partial"][0]


def path_fill(html: str, istat: str) -> str:
    match = re.search(rf'<path [^>]*fill="(#[0-9a-f]+)"[^>]*data-istat="{istat}"', html)
    assert match, istat
    return match.group(1)


def answer_everything(version, municipality, objectives):
    for objective in [None, *objectives]:
        PositionFactory(version=version, municipality=municipality, objective=objective)


def test_dashboard_colours_answered_partial_and_missing(
    login, team_user, tree, open_version, messina, lipari, office_a
):
    answer_everything(open_version, messina, [tree["A1"], tree["A2"]])
    PositionFactory(version=open_version, municipality=lipari, objective=tree["A1"], stance=Stance.DISAGREE)
    PositionFactory(version=open_version, office=office_a, objective=None)
    response = login(team_user).get(reverse("phases:coverage"))
    html = response.content.decode()
    assert path_fill(html, "083048") == ANSWERED_FILL
    assert path_fill(html, "083041") == PARTIAL_FILL
    assert path_fill(html, "083001") == STATE_PALETTE["none"][0]
    assert 'data-istat="083048" data-state="answered"' in html and 'data-istat="083041" data-state="partial"' in html
    summary = dict(response.context["summary"])
    assert list(summary.values()) == [1, 1, 106]
    totals = {row["label"]: row["stances"] for row in response.context["totals"]}
    assert totals["Visione nel suo insieme"] == [2, 0, 0]
    assert totals["A1 Collegare le aree interne"] == [1, 0, 1]
    assert [(r["office"].code, r["state"]) for r in response.context["offices"]] == [("viabilita", "partial")]


def test_states_are_worked_out_in_one_place_for_the_dashboard_and_the_reminders(
    login, team_user, tree, open_version, messina, mayor_a, mayor_b, monkeypatch, django_capture_on_commit_callbacks
):
    """coverage.municipality_states decides who has answered; the dashboard and the reminders only read it."""
    from phases import coverage

    answer_everything(open_version, messina, [tree["A1"], tree["A2"]])
    assert coverage.municipality_states(open_version)["083048"] == coverage.ANSWERED
    assert coverage.municipality_states(open_version, counts={"083048": 1})["083048"] == coverage.PARTIAL

    # Were the rule to change there (Lipari counted as answered, Messina not), both would follow it.
    def swapped(version, expected=None, *, counts=None, codes=None):
        codes = Municipality.objects.values_list("istat_code", flat=True) if codes is None else codes
        return {code: coverage.ANSWERED if code == "083041" else coverage.NOT_YET for code in codes}

    monkeypatch.setattr(coverage, "municipality_states", swapped)
    html = login(team_user).get(reverse("phases:coverage")).content.decode()
    assert path_fill(html, "083041") == ANSWERED_FILL and path_fill(html, "083048") == STATE_PALETTE["none"][0]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(version=open_version) == 1
    assert [m.to for m in mail.outbox] == [["mayor.a@test.local"]]


def test_dashboard_without_any_version_says_so(login, team_user):
    response = login(team_user).get(reverse("phases:coverage"))
    assert "Nessuna versione è stata ancora aperta" in response.content.decode()


@pytest.mark.parametrize("number", ["1", "²", "9" * 40, "abc", "99"])
def test_the_version_chosen_in_the_address_never_breaks_the_page(login, team_user, open_version, number):
    response = login(team_user).get(reverse("phases:coverage"), {"versione": number})
    assert response.status_code == 200
    assert response.context["version"] == open_version


def _mayors_everywhere():
    for municipality in Municipality.objects.exclude(istat_code__in=["083048", "083041"]).order_by("istat_code")[:5]:
        UserFactory(email=f"sindaco.{municipality.istat_code}@test.local", role=Role.MAYOR, municipality=municipality)


def test_reminder_goes_to_mayors_who_have_not_answered_once_a_day(
    login, team_user, tree, open_version, mayor_a, mayor_b, messina, django_capture_on_commit_callbacks
):
    answer_everything(open_version, messina, [tree["A1"], tree["A2"]])
    _mayors_everywhere()
    client = login(team_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("phases:coverage_remind"))
        client.post(reverse("phases:coverage_remind"))  # a second click the same day
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "mayor.a@test.local" not in recipients  # Messina has answered
    assert "mayor.b@test.local" in recipients and len(recipients) == 6 == len(set(recipients))
    assert Reminder.objects.count() == 6
    assert f"sulla versione {open_version.number} della Visione" in mail.outbox[0].body
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1)):
        assert reminders_send(version=open_version) == 6  # the next day, again once


def test_one_reminder_a_day_is_a_database_rule(open_version, mayor_b):
    today = timezone.localdate()
    Reminder.objects.create(user=mayor_b, version=open_version, day=today)
    with pytest.raises(IntegrityError):
        Reminder.objects.create(user=mayor_b, version=open_version, day=today)


def test_no_reminders_when_the_review_is_closed(login, team_user, closed_version, mayor_b, listening_now):
    response = login(team_user).post(reverse("phases:coverage_remind"), follow=True)
    assert "Nessuna versione della Visione è aperta" in response.content.decode()
    assert not mail.outbox


# --- Query counts at two data sizes -----------------------------------------------------------------------------


def build(version, general_count: int, municipality_count: int):
    axis = ObjectiveFactory(code="Q", order=20, title="Asse di prova")
    general = [
        ObjectiveFactory(code=f"Q{i}", parent=axis, order=i, title=f"Obiettivo {i}")
        for i in range(1, general_count + 1)
    ]
    for objective in general[:3]:
        ObjectiveFactory(code=f"{objective.code}.1", parent=objective, order=1)
    municipalities = list(Municipality.objects.order_by("istat_code")[:municipality_count])
    Position.objects.bulk_create(
        Position(version=version, municipality=m, objective=o, stance=Stance.AGREE)
        for m in municipalities
        for o in [None, *general]
    )
    return general


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url_name,limit", [("phases:coverage", 10), ("phases:vision", 6)])
def test_query_count_does_not_grow_with_the_data(
    login, team_user, open_version, url_name, limit, django_assert_max_num_queries
):
    client = login(team_user)
    url = reverse(url_name)
    build(open_version, general_count=2, municipality_count=1)
    small = count_queries(client, url)
    Position.objects.all().delete()
    Objective.objects.filter(level=3).delete()
    Objective.objects.filter(level=2).delete()
    Objective.objects.all().delete()
    general = build(open_version, general_count=20, municipality_count=108)
    assert Position.objects.count() == 108 * 21 and len(general) == 20
    with django_assert_max_num_queries(limit):
        client.get(url)
    assert count_queries(client, url) == small


def test_municipality_page_query_count_is_constant(client, open_version, messina, django_assert_max_num_queries):
    from phases.factories import NeedFactory

    NeedFactory(municipality=messina)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("municipalities:detail", args=["083048"]))
    for _ in range(15):
        NeedFactory(municipality=messina)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("municipalities:detail", args=["083048"]))
    assert len(few.captured_queries) == len(many.captured_queries)
