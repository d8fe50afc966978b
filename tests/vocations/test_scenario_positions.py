"""Positions of mayors and offices on the development scenarios: a third kind of document reviewed with the Vision's
mechanism (phases.services), numbered, opened, answered and counted apart from the Vision's and the governance's;
its pages for the whole cast, forged ids, confirmation before every act, /scenari/ at two sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from implementation.models import GovernanceVersion
from municipalities.models import Municipality
from phases import coverage
from phases.factories import VisionVersionFactory
from phases.models import DocumentKind, Phase, Position, Stance, VisionStatus
from phases.phases import PhaseKey
from phases.services import position_submit, review_version_close
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST
from vocations import review
from vocations.models import ScenarioReview

pytestmark = pytest.mark.django_db

LOGIN, DENIED = 302, 403


def expected(table: dict, name: str) -> int:
    return LOGIN if name == "anonymous" else table.get(name, DENIED)


@pytest.fixture
def agenda_phase(db):
    """The clock inside phase 2 (Agenda strategica), when the scenarios are reviewed."""
    phase = Phase.objects.get(key=PhaseKey.AGENDA)
    with time_machine.travel(phase.starts_at + timedelta(days=1), tick=False):
        yield phase


def make_version(number=1, status=VisionStatus.DRAFT, **fields) -> ScenarioReview:
    now = timezone.now()
    dates = {
        VisionStatus.DRAFT: {},
        VisionStatus.OPEN: {"opened_at": now, "deadline": now + timedelta(days=10)},
        VisionStatus.CLOSED: {"opened_at": now, "deadline": now, "closed_at": now},
    }[status]
    version = ScenarioReview.documents.create(
        kind=DocumentKind.SCENARIOS,
        number=number,
        title=fields.pop("title", f"Scenari {number}"),
        text=fields.pop("text", "<p>Tendenziale, obiettivo, alternativo.</p>"),
        status=status,
        **{**dates, **fields},
    )
    return ScenarioReview.objects.get(pk=version.pk)


def governance_version(number=1, status=VisionStatus.OPEN) -> GovernanceVersion:
    now = timezone.now()
    version = GovernanceVersion.documents.create(
        kind=DocumentKind.GOVERNANCE,
        number=number,
        title="Governance",
        text="<p>G</p>",
        status=status,
        opened_at=now,
        deadline=now + timedelta(days=10),
    )
    return GovernanceVersion.objects.get(pk=version.pk)


# --- The mechanism -------------------------------------------------------------------------------------------------


def test_each_kind_numbers_and_reads_only_its_own(team_user):
    VisionVersionFactory(number=1)
    governance_version(1)
    first = review.draft_create(actor=team_user)
    second = review.draft_create(actor=team_user)
    assert (first.number, second.number) == (1, 2) and second.title == first.title
    assert list(ScenarioReview.objects.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert GovernanceVersion.objects.count() == 1


def test_positions_are_counted_apart_from_the_visions_and_the_governances(
    agenda_phase, office_a_user, mayor_a, mayor_b
):
    vision = VisionVersionFactory(number=1, status=VisionStatus.OPEN, deadline=timezone.now() + timedelta(days=3))
    gov = governance_version(1)
    version = make_version(1, VisionStatus.OPEN)
    position_submit(version=version, user=office_a_user, objective=None, stance=Stance.AGREE)
    position_submit(version=version, user=mayor_a, objective=None, stance=Stance.DISAGREE, comment="Troppo ottimista.")
    assert coverage.live_participation(version)["comuni"] == 1
    assert coverage.live_participation(version)["offices"] == 1
    assert coverage.live_participation(vision)["comuni"] == 0
    assert coverage.live_participation(gov)["comuni"] == 0
    assert coverage.municipality_states(version)[mayor_a.municipality_id] == coverage.ANSWERED
    assert coverage.municipality_states(gov)[mayor_a.municipality_id] == coverage.NOT_YET
    assert Position.objects.on_vision().count() == 0
    assert Position.objects.for_version(gov).count() == 0 and Position.objects.for_version(version).count() == 2
    totals = {t["value"]: t["count"] for t in review.stance_totals(version)}
    assert totals[Stance.AGREE] == 1 and totals[Stance.DISAGREE] == 1


def test_the_review_is_gated_by_the_agenda_phase(login, office_a_user):
    make_version(1, VisionStatus.OPEN)  # open, but the clock is in the first phase
    response = login(office_a_user).post(reverse("vocations:scenario_position"), {"stance": "agree"})
    assert response.status_code == 302 and not Position.objects.exists()


# --- The pages: the whole cast -------------------------------------------------------------------------------------

TEAM_ONLY = {"team_user": 200}


@pytest.mark.parametrize("name", CAST)
def test_managing_is_the_teams(name, cast, login):
    draft = make_version(2)
    published = make_version(1, VisionStatus.CLOSED)
    client = login(cast(name))
    for url in (
        reverse("vocations:scenario_review_manage"),
        reverse("vocations:scenario_review_edit", args=[draft.pk]),
        reverse("vocations:scenario_review_positions", args=[published.pk]),
    ):
        assert client.get(url).status_code == expected(TEAM_ONLY, name), url


@pytest.mark.parametrize("name", CAST)
def test_creating_a_draft_is_the_teams(name, cast, login):
    response = login(cast(name)).post(reverse("vocations:scenario_review_create"))
    assert response.status_code == expected({"team_user": 302}, name)
    assert ScenarioReview.objects.count() == (1 if name == "team_user" else 0)


@pytest.mark.parametrize("name", CAST)
def test_a_draft_is_the_teams_a_published_version_everybodys(name, cast, login):
    draft = make_version(2)
    published = make_version(1, VisionStatus.OPEN)
    client = login(cast(name))
    assert client.get(reverse("vocations:scenario_review_version", args=[published.number])).status_code == 200
    status = client.get(reverse("vocations:scenario_review_version", args=[draft.number])).status_code
    assert status == (200 if name == "team_user" else 404)


def test_editing_a_draft_sanitises_and_refuses_bad_input(login, team_user):
    draft = review.draft_create(actor=team_user)
    client = login(team_user)
    url = reverse("vocations:scenario_review_edit", args=[draft.pk])
    assert client.post(url, {"title": "", "text": "<p>x</p>"}).status_code == 200
    draft.refresh_from_db()
    assert draft.text == ""
    assert client.post(url, {"title": "Scenari 2030", "text": "<p>Testo</p><script>x</script>"}).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Scenari 2030" and "<script>" not in draft.text
    opened = make_version(5, VisionStatus.OPEN)
    assert client.post(reverse("vocations:scenario_review_edit", args=[opened.pk]), {"title": "X"}).status_code == 302
    opened.refresh_from_db()
    assert opened.title == "Scenari 5"


def test_forged_ids_are_refused(login, team_user):
    client = login(team_user)
    vision = VisionVersionFactory(number=1)
    gov = governance_version(1, VisionStatus.DRAFT)
    for name in ("scenario_review_edit", "scenario_review_open", "scenario_review_close", "scenario_review_positions"):
        for pk in (vision.pk, gov.pk, 99999):
            method = client.get if name in ("scenario_review_edit", "scenario_review_positions") else client.post
            assert method(reverse(f"vocations:{name}", args=[pk])).status_code == 404, (name, pk)
    vision.refresh_from_db()
    gov.refresh_from_db()
    assert vision.is_draft and gov.is_draft
    assert client.get("/scenari/versioni/99999/").status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_opening_asks_for_confirmation_and_is_the_teams(
    name, cast, login, agenda_phase, office_a_user, django_capture_on_commit_callbacks
):
    draft = make_version(1)
    client = login(cast(name))
    url = reverse("vocations:scenario_review_open", args=[draft.pk])
    deadline = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"deadline": deadline})
    draft.refresh_from_db()
    assert draft.is_draft
    if name != "team_user":
        assert response.status_code == expected({}, name)
        return
    assert response.status_code == 200 and "conferma" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"deadline": deadline, "conferma": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_open and [m.to for m in mail.outbox] == [[office_a_user.email]]
    assert "scenari di sviluppo" in mail.outbox[0].subject
    assert reverse("vocations:scenario_position") in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="scenarios.open").exists()


def test_a_past_deadline_is_refused(login, team_user, agenda_phase):
    draft = make_version(1)
    response = login(team_user).post(
        reverse("vocations:scenario_review_open", args=[draft.pk]), {"deadline": "2000-01-01T10:00", "conferma": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("name", CAST)
def test_closing_asks_for_confirmation(name, cast, login, agenda_phase):
    version = make_version(1, VisionStatus.OPEN)
    client = login(cast(name))
    url = reverse("vocations:scenario_review_close", args=[version.pk])
    response = client.post(url)
    version.refresh_from_db()
    assert version.is_open
    if name != "team_user":
        assert response.status_code == expected({}, name)
        return
    assert response.status_code == 200 and "conferma" in response.content.decode()
    assert client.post(url, {"conferma": "1"}).status_code == 302
    version.refresh_from_db()
    assert version.status == VisionStatus.CLOSED
    assert AuditEvent.objects.filter(action="scenarios.close").exists()


POSITION_TABLE = {"office_a_user": 200, "office_b_user": 200, "mayor_a": 200, "mayor_b": 200}


@pytest.mark.parametrize("name", CAST)
def test_offices_and_mayors_take_a_position(name, cast, login, agenda_phase):
    version = make_version(1, VisionStatus.OPEN)
    gov = governance_version(1)
    client = login(cast(name))
    url = reverse("vocations:scenario_position")
    assert client.get(url).status_code == expected(POSITION_TABLE, name)
    response = client.post(url, {"stance": "changes", "comment": "Più peso alla logistica."})
    allowed = name in POSITION_TABLE
    assert response.status_code == (302 if allowed else expected(POSITION_TABLE, name))
    assert Position.objects.for_version(version).count() == (1 if allowed else 0)
    assert not Position.objects.for_version(gov).exists()
    if allowed:
        client.post(url, {"stance": "agree", "comment": ""})  # changed, not duplicated
        assert Position.objects.for_version(version).get().stance == Stance.AGREE


def test_a_position_without_the_comment_it_needs_is_refused(login, office_a_user, agenda_phase):
    make_version(1, VisionStatus.OPEN)
    client = login(office_a_user)
    response = client.post(reverse("vocations:scenario_position"), {"stance": "disagree"})
    assert response.status_code == 200 and "Scrivi nel commento" in response.content.decode()
    assert client.post(reverse("vocations:scenario_position"), {"stance": "forse"}).status_code == 200
    assert not Position.objects.exists()


def test_the_dashboard_links_the_position_page(login, mayor_a, office_a_user, stakeholder_user):
    url = reverse("vocations:scenario_position")
    assert url in login(mayor_a).get(reverse("accounts:dashboard")).content.decode()
    assert url in login(office_a_user).get(reverse("accounts:dashboard")).content.decode()
    assert url not in login(stakeholder_user).get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.parametrize("name", CAST)
def test_reminders_are_the_teams_and_go_once_a_day(
    name, cast, login, agenda_phase, mayor_a, mayor_b, django_capture_on_commit_callbacks
):
    version = make_version(1, VisionStatus.OPEN)
    position_submit(version=version, user=mayor_a, objective=None, stance=Stance.AGREE)
    client = login(cast(name))
    url = reverse("vocations:scenario_review_remind")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    if name != "team_user":
        assert response.status_code == expected({}, name) and not mail.outbox
        return
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[mayor_b.email]]
    assert "scenari di sviluppo" in mail.outbox[0].subject
    assert reverse("vocations:scenario_position") in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 1


# --- /scenari/ -----------------------------------------------------------------------------------------------------


def _mayors_answer(version, count: int) -> None:
    for index, municipality in enumerate(Municipality.objects.order_by("istat_code")[:count]):
        mayor = UserFactory(role=Role.MAYOR, municipality=municipality)
        stance = Stance.DISAGREE if index % 2 else Stance.AGREE_WITH_CHANGES
        position_submit(version=version, user=mayor, objective=None, stance=stance, comment="Da rivedere.")


def test_the_public_page_shows_live_counts_then_totals(client, agenda_phase):
    version = make_version(1, VisionStatus.OPEN)
    _mayors_answer(version, 3)
    line = "In disaccordo: 1"  # of three mayors, the second disagrees
    html = client.get(reverse("vocations:scenarios")).content.decode()
    assert "finora 3 posizioni" in html and 'id="esito-consultazione"' not in html and line not in html
    review_version_close(version=version, actor=None)
    html = client.get(reverse("vocations:scenarios")).content.decode()
    assert 'id="esito-consultazione"' in html and "finora" not in html and line in html


def test_the_public_page_costs_the_same_at_two_sizes(client, agenda_phase):
    url = reverse("vocations:scenarios")
    closed = make_version(1, VisionStatus.OPEN)
    _mayors_answer(closed, 10)
    review_version_close(version=closed, actor=None)
    opened = make_version(2, VisionStatus.OPEN)
    _mayors_answer(opened, 10)
    with CaptureQueriesContext(connection) as small:
        assert "finora 10 posizioni" in client.get(url).content.decode()
    review_version_close(version=opened, actor=None)
    larger = make_version(3, VisionStatus.OPEN)
    _mayors_answer(larger, 108)
    with CaptureQueriesContext(connection) as large:
        assert "finora 108 posizioni" in client.get(url).content.decode()
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_review_in_english(client, agenda_phase):
    version = make_version(1, VisionStatus.OPEN)
    _mayors_answer(version, 2)
    html = client.get("/en/scenari/").content.decode()
    assert "offices' positions on the scenarios" in html.replace("&#x27;", "'") and "2 positions so far" in html


def test_the_demo_has_a_closed_review_with_positions(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    version = ScenarioReview.objects.get()
    assert version.status == VisionStatus.CLOSED
    assert Position.objects.for_version(version).count() == 3 and not Position.objects.on_vision().filter(
        version=version
    )
    html = client.get(reverse("vocations:scenarios")).content.decode()
    assert 'id="esito-consultazione"' in html and "In disaccordo: 1" in html


@pytest.mark.parametrize("url_name", ["vocations:scenario_review_manage", "vocations:scenario_review_positions"])
def test_the_teams_pages_cost_the_same_at_two_sizes(url_name, login, team_user, agenda_phase, office_a, office_b):
    client = login(team_user)
    version = make_version(1, VisionStatus.OPEN)
    make_version(2)
    url = reverse(url_name, args=[version.pk] if url_name.endswith("positions") else [])
    _mayors_answer(version, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    Position.objects.all().delete()
    _mayors_answer(version, 108)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
