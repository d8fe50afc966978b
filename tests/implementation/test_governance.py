"""The governance model: a second kind of document reviewed with the Vision's mechanism (phases.services), its
numbering, opening, positions and coverage kept apart from the Vision's; its pages for the whole cast, forged ids,
confirmation before every act, the responsibility table's queries at two sizes, the demo data."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from implementation import governance
from implementation.demo import seed_governance
from implementation.models import GovernanceBody, GovernanceVersion, OfficeReferent
from phases import coverage
from phases.factories import VisionVersionFactory
from phases.models import DocumentKind, Position, Stance, VisionStatus, VisionVersion
from phases.services import (
    position_submit,
    review_version_adopt,
    review_version_close,
    review_version_open,
    vision_version_create,
)
from plan.dossier import process_summary
from projects.factories import AgendaActionFactory
from projects.models import Agenda, AgendaStatus
from psm_portal.accounts.factories import OfficeFactory
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST
from tests.implementation.conftest import expected

pytestmark = pytest.mark.django_db


def make_version(number=1, status=VisionStatus.DRAFT, **fields) -> GovernanceVersion:
    now = timezone.now()
    dates = {
        VisionStatus.DRAFT: {},
        VisionStatus.OPEN: {"opened_at": now, "deadline": now + timedelta(days=10)},
        VisionStatus.CLOSED: {"opened_at": now, "deadline": now, "closed_at": now},
        VisionStatus.ADOPTED: {"opened_at": now, "deadline": now, "closed_at": now, "adopted_at": now},
    }[status]
    version = GovernanceVersion.documents.create(
        kind=DocumentKind.GOVERNANCE,
        number=number,
        title=fields.pop("title", f"Governance {number}"),
        text=fields.pop("text", "<p>Cabina di regia trimestrale.</p>"),
        status=status,
        **{**dates, **fields},
    )
    return GovernanceVersion.objects.get(pk=version.pk)


@pytest.fixture
def adopted(office_a):
    version = make_version(1, VisionStatus.ADOPTED, title="Prima governance")
    GovernanceBody.objects.create(
        version=version, name="Cabina di regia", members="Sindaco metropolitano", duties="Indirizzo e verifica"
    )
    OfficeReferent.objects.create(version=version, office=office_a, referent="Dirigente Viabilità")
    return version


@pytest.fixture
def draft(adopted):
    return governance.governance_draft_create(actor=None)


# --- The mechanism, shared with the Vision ---------------------------------------------------------------------


def test_each_kind_numbers_its_versions_and_reads_only_its_own(team_user):
    vision = vision_version_create(actor=team_user, title="Visione", text="<p>Messina</p>")
    first = governance.governance_draft_create(actor=team_user)
    second = governance.governance_draft_create(actor=team_user)
    assert (vision.number, first.number, second.number) == (1, 1, 2)
    assert list(VisionVersion.objects.values_list("pk", flat=True)) == [vision.pk]
    assert set(GovernanceVersion.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert AuditEvent.objects.filter(action="governance.create").count() == 2
    assert AuditEvent.objects.filter(action="vision.create").count() == 1


def test_a_new_draft_starts_from_the_latest_version(adopted, team_user):
    draft = governance.governance_draft_create(actor=team_user)
    assert draft.is_draft and draft.number == 2 and draft.text == adopted.text
    assert [b.name for b in draft.governance_bodies.all()] == ["Cabina di regia"]
    assert [r.referent for r in draft.office_referents.all()] == ["Dirigente Viabilità"]
    # Copies, not shared rows: the adopted version keeps its own.
    assert GovernanceBody.objects.count() == 2 and OfficeReferent.objects.count() == 2


def test_opening_is_gated_by_the_final_phase(draft, team_user):
    with pytest.raises(ValidationError):
        review_version_open(version=draft, actor=team_user, deadline=timezone.now() + timedelta(days=5))
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_review_runs_beside_the_visions_and_mails_its_own_link(
    final_phase, draft, team_user, office_a_user, mayor_a, django_capture_on_commit_callbacks
):
    # A Vision version open at the same time does not stop the governance review (one open per kind).
    VisionVersionFactory(number=1, status=VisionStatus.OPEN, deadline=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        review_version_open(version=draft, actor=team_user, deadline=timezone.now() + timedelta(days=5))
    draft.refresh_from_db()
    assert draft.is_open and draft.notified_at is not None
    assert len(mail.outbox) == 2
    assert "modello di governance" in mail.outbox[0].subject
    assert reverse("implementation:governance_position") in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="governance.open", object_id=str(draft.pk)).exists()
    another = governance.governance_draft_create(actor=team_user)
    with pytest.raises(ValidationError, match="già una versione aperta"):
        review_version_open(version=another, actor=team_user, deadline=timezone.now() + timedelta(days=5))
    with pytest.raises(ValidationError, match="Solo una bozza"):
        governance.governance_draft_save(
            version=draft, actor=team_user, title="x", text="", bodies=None, referents=None
        )


def test_positions_are_counted_apart_from_the_visions(final_phase, team_user, office_a_user, mayor_a, office_b):
    vision = VisionVersionFactory(number=1, status=VisionStatus.OPEN, deadline=timezone.now() + timedelta(days=3))
    version = make_version(1, VisionStatus.OPEN)
    position_submit(version=version, user=office_a_user, objective=None, stance=Stance.AGREE)
    position_submit(version=version, user=mayor_a, objective=None, stance=Stance.DISAGREE, comment="Troppo lento.")
    assert coverage.live_participation(vision)["comuni"] == 0
    assert coverage.live_participation(version) | {"version": None} == {
        "version": None,
        "comuni": 1,
        "offices": 1,
        "total_comuni": 108,
        "total_offices": 2,
    }
    # One position on the whole text answers a governance review (no objectives in it).
    assert coverage.municipality_states(version)[mayor_a.municipality_id] == coverage.ANSWERED
    assert coverage.municipality_states(vision)[mayor_a.municipality_id] == coverage.NOT_YET
    assert process_summary()["positions"]["total"] == 0
    assert Position.objects.on_vision().count() == 0 and Position.objects.count() == 2


def test_no_position_on_objectives_of_the_governance_model(final_phase, office_a_user):
    from phases.factories import ObjectiveFactory

    axis = ObjectiveFactory(code="A", order=1)
    general = ObjectiveFactory(code="A1", parent=axis, order=1)
    version = make_version(1, VisionStatus.OPEN)
    with pytest.raises(ValidationError, match="nel suo insieme"):
        position_submit(version=version, user=office_a_user, objective=general, stance=Stance.AGREE)
    assert not Position.objects.exists()


def test_closing_and_adopting_are_audited(final_phase, team_user):
    version = make_version(1, VisionStatus.OPEN)
    review_version_close(version=version, actor=team_user)
    review_version_adopt(version=version, actor=team_user)
    assert governance.adopted() == version
    assert list(
        AuditEvent.objects.filter(object_id=str(version.pk)).order_by("pk").values_list("action", flat=True)
    ) == [
        "governance.close",
        "governance.adopt",
    ]


# --- Pages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CAST)
def test_the_public_page_for_everybody(name, cast, login, adopted, office_a, office_b):
    agenda = Agenda.objects.create(year=2027, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    action = AgendaActionFactory(agenda=agenda, title="Piano neve", responsible_office=office_a)
    action.contributing_offices.set([office_b])
    response = login(cast(name)).get(reverse("implementation:governance"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cabina di regia" in html and "Dirigente Viabilità" in html
    assert "Piano neve" in html and office_b.name in html


@pytest.mark.parametrize("name", CAST)
def test_a_draft_is_the_teams_a_published_version_everybodys(name, cast, login, adopted, draft):
    client = login(cast(name))
    assert client.get(reverse("implementation:governance_version", args=[adopted.number])).status_code == 200
    response = client.get(reverse("implementation:governance_version", args=[draft.number]))
    assert response.status_code == (200 if name == "team_user" else 404)


def test_a_version_page_shows_the_changes_and_closed_totals(client, adopted, team_user):
    second = make_version(2, VisionStatus.CLOSED, text="<p>Cabina di regia mensile.</p>")
    Position.objects.create(version=second, office=OfficeFactory(), stance=Stance.DISAGREE, comment="No")
    html = client.get(reverse("implementation:governance_version", args=[2])).content.decode()
    assert "<del>" in html and "trimestrale" in html and "<ins>" in html and "mensile" in html
    assert "In disaccordo: 1" in html


@pytest.mark.parametrize("name", CAST)
def test_managing_is_the_teams(name, cast, login, adopted, draft):
    client = login(cast(name))
    for url in (
        reverse("implementation:governance_manage"),
        reverse("implementation:governance_edit", args=[draft.pk]),
        reverse("implementation:governance_positions", args=[adopted.pk]),
    ):
        assert client.get(url).status_code == expected({"team_user": 200}, name), url


@pytest.mark.parametrize("name", CAST)
def test_creating_a_draft_is_the_teams(name, cast, login, adopted):
    response = login(cast(name)).post(reverse("implementation:governance_create"))
    assert response.status_code == expected({"team_user": 302}, name)
    assert GovernanceVersion.objects.count() == (2 if name == "team_user" else 1)


def test_forged_ids_are_refused(login, team_user, adopted, draft):
    client = login(team_user)
    vision = VisionVersionFactory(number=1)
    for name in ("governance_edit", "governance_open", "governance_close", "governance_adopt", "governance_positions"):
        for pk in (vision.pk, 99999):
            method = client.get if name in ("governance_edit", "governance_positions") else client.post
            assert method(reverse(f"implementation:{name}", args=[pk])).status_code == 404, (name, pk)
    # The Vision's pages do not reach a governance version either.
    assert client.get(reverse("phases:version_edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("implementation:governance_positions", args=[draft.pk])).status_code == 404
    assert client.get("/attuazione/governance/versioni/99999/").status_code == 404


def edit_post(**changes) -> dict:
    data = {
        "title": "Governance 2",
        "text": "<p>Testo</p><script>alert(1)</script>",
        "organismi-TOTAL_FORMS": "1",
        "organismi-INITIAL_FORMS": "0",
        "organismi-0-order": "1",
        "organismi-0-name": "Tavolo tecnico",
        "organismi-0-members": "Dirigenti",
        "organismi-0-duties": "Istruttoria",
        "organismi-0-review_frequency": "monthly",
        "referenti-TOTAL_FORMS": "0",
        "referenti-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_editing_a_draft_sanitises_and_saves_all_or_nothing(login, team_user, office_a, office_b):
    draft = governance.governance_draft_create(actor=team_user)
    client = login(team_user)
    url = reverse("implementation:governance_edit", args=[draft.pk])
    referents = {
        "referenti-TOTAL_FORMS": "2",
        "referenti-0-office": str(office_a.pk),
        "referenti-0-referent": "Dirigente",
        "referenti-1-office": str(office_a.pk),
        "referenti-1-referent": "Altro",
    }
    response = client.post(url, edit_post(**referents))
    assert response.status_code == 200 and "duplicat" in response.content.decode()
    assert not GovernanceBody.objects.exists() and not OfficeReferent.objects.exists()
    response = client.post(url, edit_post(**{**referents, "referenti-1-office": str(office_b.pk)}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Governance 2" and "<script>" not in draft.text
    assert draft.governance_bodies.get().name == "Tavolo tecnico" and draft.office_referents.count() == 2
    assert AuditEvent.objects.filter(action="governance.update", object_id=str(draft.pk)).exists()


def test_a_bad_body_is_an_error_not_a_500(login, team_user):
    draft = governance.governance_draft_create(actor=team_user)
    response = login(team_user).post(
        reverse("implementation:governance_edit", args=[draft.pk]),
        edit_post(**{"organismi-0-review_frequency": "ogni tanto", "title": ""}),
    )
    assert response.status_code == 200 and not GovernanceBody.objects.exists()


@pytest.mark.parametrize("name", CAST)
def test_opening_asks_for_confirmation_and_is_the_teams(
    name, cast, login, final_phase, draft, office_a_user, django_capture_on_commit_callbacks
):
    client = login(cast(name))
    url = reverse("implementation:governance_open", args=[draft.pk])
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


def test_a_past_deadline_is_refused(login, team_user, final_phase, draft):
    response = login(team_user).post(
        reverse("implementation:governance_open", args=[draft.pk]), {"deadline": "2000-01-01T10:00", "conferma": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("name", CAST)
def test_closing_and_adopting_ask_for_confirmation(name, cast, login, final_phase):
    version = make_version(1, VisionStatus.OPEN)
    client = login(cast(name))
    for url_name, status in (("governance_close", VisionStatus.CLOSED), ("governance_adopt", VisionStatus.ADOPTED)):
        url = reverse(f"implementation:{url_name}", args=[version.pk])
        response = client.post(url)
        before = version.status
        version.refresh_from_db()
        assert version.status == before
        if name != "team_user":
            assert response.status_code == expected({}, name)
            continue
        assert response.status_code == 200
        assert client.post(url, {"conferma": "1"}).status_code == 302
        version.refresh_from_db()
        assert version.status == status


@pytest.mark.parametrize("name", CAST)
def test_offices_and_mayors_take_a_position(name, cast, login, final_phase):
    version = make_version(1, VisionStatus.OPEN)
    client = login(cast(name))
    url = reverse("implementation:governance_position")
    table = {"office_a_user": 200, "office_b_user": 200, "mayor_a": 200, "mayor_b": 200}
    assert client.get(url).status_code == expected(table, name)
    response = client.post(url, {"stance": "changes", "comment": "Più tavoli territoriali."})
    allowed = name in table
    assert response.status_code == (302 if allowed else expected(table, name))
    assert Position.objects.for_version(version).count() == (1 if allowed else 0)
    if allowed:
        # Changed, not duplicated.
        client.post(url, {"stance": "agree", "comment": ""})
        assert Position.objects.for_version(version).get().stance == Stance.AGREE


def test_a_position_without_the_comment_it_needs_is_refused(login, office_a_user, final_phase):
    make_version(1, VisionStatus.OPEN)
    response = login(office_a_user).post(reverse("implementation:governance_position"), {"stance": "disagree"})
    assert response.status_code == 200 and "Scrivi nel commento" in response.content.decode()
    response = login(office_a_user).post(reverse("implementation:governance_position"), {"stance": "forse"})
    assert response.status_code == 200
    assert not Position.objects.exists()


def test_no_position_when_no_version_is_open_or_outside_the_phase(login, office_a_user, adopted):
    client = login(office_a_user)
    url = reverse("implementation:governance_position")
    assert client.get(url).status_code == 200
    assert client.post(url, {"stance": "agree"}).status_code == 302
    make_version(2, VisionStatus.OPEN)  # open, but the clock is in the first phase
    assert client.post(url, {"stance": "agree"}).status_code == 302
    assert not Position.objects.exists()


def _actions(count: int, offices) -> None:
    agenda = Agenda.objects.create(year=2027, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    for index in range(count):
        action = AgendaActionFactory(
            agenda=agenda, position=index + 1, responsible_office=offices[index % len(offices)]
        )
        action.contributing_offices.set(offices[: 1 + index % len(offices)])


@pytest.mark.parametrize("url_name", ["implementation:governance", "implementation:governance_manage"])
def test_the_pages_cost_the_same_at_two_sizes(url_name, login, team_user, adopted):
    client = login(team_user)
    offices = [OfficeFactory() for _ in range(3)]
    _actions(2, offices)
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    Agenda.objects.all().delete()
    offices += [OfficeFactory() for _ in range(5)]
    _actions(40, offices)
    OfficeReferent.objects.bulk_create(OfficeReferent(version=adopted, office=o, referent="Dirigente") for o in offices)
    GovernanceBody.objects.bulk_create(
        GovernanceBody(version=adopted, order=n, name=f"Tavolo {n}", members="-", duties="-") for n in range(2, 6)
    )
    make_version(2, VisionStatus.CLOSED)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert html.count('<th scope="row">') >= 40
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_demo_has_an_adopted_model_and_an_open_version(db):
    from psm_portal import demo

    demo.seed(StringIO())
    team = demo.User.objects.get(email="team@demo.psm.local")
    assert seed_governance(team)
    assert seed_governance(team) == ""  # idempotent
    versions = list(GovernanceVersion.objects.order_by("number"))
    assert [v.status for v in versions] == [VisionStatus.ADOPTED, VisionStatus.OPEN]
    assert governance.adopted().governance_bodies.count() == 2
    assert Position.objects.for_version(versions[1]).exists()
    assert not VisionVersion.objects.exists()


def test_the_page_in_english(client, adopted):
    html = client.get("/en/attuazione/governance/").content.decode()
    assert "Implementation governance model" in html and "Who answers for each action" in html


@pytest.mark.parametrize("name", CAST)
def test_reminders_are_the_teams_and_go_once_a_day(
    name, cast, login, final_phase, mayor_a, mayor_b, office_a_user, django_capture_on_commit_callbacks
):
    version = make_version(1, VisionStatus.OPEN)
    position_submit(version=version, user=mayor_a, objective=None, stance=Stance.AGREE)
    client = login(cast(name))
    url = reverse("implementation:governance_remind")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    if name != "team_user":
        assert response.status_code == expected({}, name) and not mail.outbox
        return
    assert response.status_code == 302
    # Only the mayor whose comune has not answered, with the governance model's text and link.
    assert [m.to for m in mail.outbox] == [[mayor_b.email]]
    assert "modello di governance" in mail.outbox[0].subject
    assert reverse("implementation:governance_position") in mail.outbox[0].body
    assert "sulla versione 1 del modello di governance" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="governance.remind").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 1


def test_no_reminder_without_an_open_version(login, team_user, final_phase, mayor_b, adopted):
    response = login(team_user).post(reverse("implementation:governance_remind"))
    assert response.status_code == 302 and not mail.outbox
