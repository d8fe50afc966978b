"""The reserved area of the agenda: the whole cast on every page, the phase gate, forged ids, the team's order
and submission (confirmed first), the offices' drafting and deleting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.factories import AgendaActionFactory
from projects.models import Agenda, AgendaAction, AgendaStatus
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST
from tests.projects.conftest import action_data

pytestmark = pytest.mark.django_db

# Who gets what: a role not named here (a role added to the cast later) gets no access.
LOGIN = 302
DENIED = 403


def expected(table: dict, name: str) -> int:
    if name == "anonymous":
        return LOGIN
    return table.get(name, DENIED)


@pytest.fixture
def world(agenda_draft, office_a, office_b, published_a, published_b, tree):
    action_a = AgendaActionFactory(
        agenda=agenda_draft, position=1, responsible_office=office_a, projects=[published_a], title="Azione A"
    )
    action_b = AgendaActionFactory(
        agenda=agenda_draft, position=2, responsible_office=office_b, projects=[published_b], title="Azione B"
    )
    return {"agenda": agenda_draft, "a": action_a, "b": action_b}


def form_post(project, **changes) -> dict:
    data = action_data(budget="120.000,50", **changes)
    data["projects"] = [project.pk]
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("name", CAST)
def test_the_agenda_list_is_for_offices_and_the_team(name, cast, login, world, agenda_phase):
    response = login(cast(name)).get(reverse("projects:agenda_list"))
    assert response.status_code == expected({"team_user": 200, "office_a_user": 200, "office_b_user": 200}, name)


@pytest.mark.parametrize("name", CAST)
def test_the_agenda_page_shows_each_office_only_its_actions(name, cast, login, world, agenda_phase):
    response = login(cast(name)).get(reverse("projects:agenda_detail", args=[world["agenda"].pk]))
    assert response.status_code == expected({"team_user": 200, "office_a_user": 200, "office_b_user": 200}, name)
    if response.status_code == 200:
        html = response.content.decode()
        assert ("Azione A" in html) == (name in ("team_user", "office_a_user"))
        assert ("Azione B" in html) == (name in ("team_user", "office_b_user"))
        assert ("Salva l&#x27;ordine" in html or "Salva l'ordine" in html) == (name == "team_user")


@pytest.mark.parametrize("name", CAST)
def test_a_new_action_page_for_offices_and_the_team(name, cast, login, world, agenda_phase):
    response = login(cast(name)).get(reverse("projects:action_create", args=[world["agenda"].pk]))
    assert response.status_code == expected({"team_user": 200, "office_a_user": 200, "office_b_user": 200}, name)


@pytest.mark.parametrize("name", CAST)
def test_an_action_is_edited_by_its_office_and_the_team(name, cast, login, world, agenda_phase):
    response = login(cast(name)).get(reverse("projects:action_edit", args=[world["a"].pk]))
    # Another office's action does not exist for them.
    assert response.status_code == expected({"team_user": 200, "office_a_user": 200, "office_b_user": 404}, name)


@pytest.mark.parametrize("name", CAST)
def test_deleting_an_action_asks_for_confirmation_first(name, cast, login, world, agenda_phase):
    response = login(cast(name)).post(reverse("projects:action_delete", args=[world["a"].pk]))
    assert response.status_code == expected({"team_user": 200, "office_a_user": 200, "office_b_user": 404}, name)
    assert AgendaAction.objects.filter(pk=world["a"].pk).exists()


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_orders_the_agenda(name, cast, login, world, agenda_phase):
    a, b = world["a"], world["b"]
    response = login(cast(name)).post(
        reverse("projects:agenda_reorder", args=[world["agenda"].pk]), {f"posizione-{a.pk}": 2, f"posizione-{b.pk}": 1}
    )
    assert response.status_code == expected({"team_user": 302}, name)
    order = list(world["agenda"].actions.in_order().values_list("title", flat=True))
    assert order == (["Azione B", "Azione A"] if name == "team_user" else ["Azione A", "Azione B"])


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_submits_the_agenda(name, cast, login, world, agenda_phase):
    url = reverse("projects:agenda_submit", args=[world["agenda"].pk])
    response = login(cast(name)).post(url, {"conferma": "1"})
    assert response.status_code == expected({"team_user": 302}, name)
    world["agenda"].refresh_from_db()
    assert world["agenda"].status == (AgendaStatus.SUBMITTED if name == "team_user" else AgendaStatus.DRAFT)


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_creates_a_version(name, cast, login, world, agenda_phase):
    response = login(cast(name)).post(reverse("projects:agenda_create"), {"year": 2028})
    assert response.status_code == expected({"team_user": 302}, name)
    assert Agenda.objects.filter(year=2028).exists() == (name == "team_user")


def test_submitting_shows_what_will_happen_then_submits(login, team_user, world, agenda_phase):
    client = login(team_user)
    url = reverse("projects:agenda_submit", args=[world["agenda"].pk])
    page = client.post(url)
    assert page.status_code == 200
    assert "non si potrà più modificare" in page.content.decode()
    world["agenda"].refresh_from_db()
    assert world["agenda"].is_draft
    client.post(url, {"conferma": "1"})
    world["agenda"].refresh_from_db()
    assert world["agenda"].is_submitted
    assert AuditEvent.objects.filter(action="agenda.submit", actor=team_user).exists()


def test_an_office_drafts_an_action_through_the_form(login, office_a_user, world, published_a, tree, agenda_phase):
    client = login(office_a_user)
    response = client.post(
        reverse("projects:action_create", args=[world["agenda"].pk]),
        form_post(published_a, objective=tree["A1.1"].pk, title="Collaudo del ponte"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action = AgendaAction.objects.get(title="Collaudo del ponte")
    assert (action.responsible_office, action.position, str(action.budget)) == (office_a_user.office, 3, "120000.50")


def test_an_office_cannot_post_another_offices_project_or_office(
    login, office_a_user, office_b, world, published_b, agenda_phase
):
    client = login(office_a_user)
    url = reverse("projects:action_create", args=[world["agenda"].pk])
    response = client.post(url, {**form_post(published_b), "responsible_office": office_b.pk})
    assert response.status_code == 200
    assert "projects" in response.context["form"].errors
    response = client.post(url, form_post(published_b, title="x") | {"projects": ["999999"]})
    assert "projects" in response.context["form"].errors
    assert AgendaAction.objects.count() == 2


def test_the_team_names_the_office_and_any_published_project(
    login, team_user, office_b, world, published_b, agenda_phase
):
    response = login(team_user).post(
        reverse("projects:action_create", args=[world["agenda"].pk]),
        {**form_post(published_b, title="Coordinamento"), "responsible_office": office_b.pk},
    )
    assert response.status_code == 302
    assert AgendaAction.objects.get(title="Coordinamento").responsible_office == office_b


def test_bad_numbers_in_the_form_are_form_errors(login, office_a_user, world, published_a, agenda_phase):
    client = login(office_a_user)
    url = reverse("projects:action_edit", args=[world["a"].pk])
    for changes in ({"budget": "tanti"}, {"start_quarter": "9"}, {"due_quarter": "x\x00"}, {"budget": "-5"}):
        response = client.post(url, {**form_post(world["a"].projects.get()), **changes})
        assert response.status_code == 200
        assert response.context["form"].errors
    response = client.post(url, {**form_post(world["a"].projects.get()), "start_quarter": 4, "due_quarter": 1})
    assert "due_quarter" in response.context["form"].errors


def test_deleting_after_confirmation(login, office_a_user, world, agenda_phase):
    client = login(office_a_user)
    client.post(reverse("projects:action_delete", args=[world["a"].pk]), {"conferma": "1"})
    assert list(world["agenda"].actions.values_list("title", "position")) == [("Azione B", 1)]


def test_a_submitted_agenda_is_no_longer_edited(login, office_a_user, world, agenda_phase):
    Agenda.objects.filter(pk=world["agenda"].pk).update(status=AgendaStatus.SUBMITTED)
    client = login(office_a_user)
    response = client.get(reverse("projects:action_edit", args=[world["a"].pk]))
    assert response.status_code == 302
    response = client.post(reverse("projects:action_create", args=[world["agenda"].pk]), {"title": "x"}, follow=True)
    assert "non è una bozza" in response.content.decode()
    assert AgendaAction.objects.count() == 2


def test_drafting_is_closed_outside_its_phases(login, office_a_user, team_user, world):
    """The listening phase runs now (the default phases): the agenda is read, not drafted."""
    client = login(office_a_user)
    closed = client.get(reverse("projects:action_create", args=[world["agenda"].pk]))
    assert closed.status_code == 403
    assert (
        "preparare l&#x27;agenda annuale" in closed.content.decode() or "preparare l'agenda" in closed.content.decode()
    )
    assert client.get(reverse("projects:agenda_detail", args=[world["agenda"].pk])).status_code == 200
    response = login(team_user).post(reverse("projects:agenda_submit", args=[world["agenda"].pk]), {"conferma": "1"})
    assert response.status_code == 403
    world["agenda"].refresh_from_db()
    assert world["agenda"].is_draft


def test_drafting_is_open_in_the_final_phase(login, office_a_user, world, final_phase):
    assert login(office_a_user).get(reverse("projects:action_create", args=[world["agenda"].pk])).status_code == 200


@pytest.mark.parametrize("name", ["team_user", "office_a_user"])
def test_forged_ids_are_404(name, cast, login, world, agenda_phase):
    client = login(cast(name))
    assert client.get(reverse("projects:agenda_detail", args=[424242])).status_code == 404
    assert client.get(reverse("projects:action_create", args=[424242])).status_code == 404
    assert client.get(reverse("projects:action_edit", args=[424242])).status_code == 404
    assert client.post(reverse("projects:action_delete", args=[424242])).status_code == 404


def test_a_bad_order_is_a_message_not_an_error(login, team_user, world, agenda_phase):
    a, b = world["a"], world["b"]
    response = login(team_user).post(
        reverse("projects:agenda_reorder", args=[world["agenda"].pk]),
        {f"posizione-{a.pk}": "due\x00", f"posizione-{b.pk}": "99999999999999999999999"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(world["agenda"].actions.in_order().values_list("title", flat=True)) == ["Azione A", "Azione B"]


def test_the_team_sees_every_version_and_creates_the_next(login, team_user, world, agenda_phase):
    client = login(team_user)
    response = client.post(reverse("projects:agenda_create"), {"year": 2027}, follow=True)
    assert "già una bozza" in response.content.decode()
    response = client.post(reverse("projects:agenda_create"), {"year": "duemila"}, follow=True)
    assert response.status_code == 200
    page = client.get(reverse("projects:agenda_list")).content.decode()
    assert "Agenda annuale 2027, versione 1" in page


def test_the_dashboard_links_the_agenda(login, office_a_user, mayor_a):
    assert reverse("projects:agenda_list") in login(office_a_user).get(reverse("accounts:dashboard")).content.decode()
    assert reverse("projects:agenda_list") not in login(mayor_a).get(reverse("accounts:dashboard")).content.decode()


def test_the_agenda_page_queries_do_not_grow_with_the_actions(
    login, team_user, world, published_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(team_user)
    url = reverse("projects:agenda_detail", args=[world["agenda"].pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    AgendaActionFactory.create_batch(
        40, agenda=world["agenda"], responsible_office=published_a.office, projects=[published_a]
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_an_action_typed_into_anothers_place_goes_before_it(login, team_user, world, published_a, agenda_phase):
    third = AgendaActionFactory(
        agenda=world["agenda"],
        position=3,
        responsible_office=published_a.office,
        projects=[published_a],
        title="Azione C",
    )
    a, b = world["a"], world["b"]
    login(team_user).post(
        reverse("projects:agenda_reorder", args=[world["agenda"].pk]),
        {f"posizione-{a.pk}": "1", f"posizione-{b.pk}": "2", f"posizione-{third.pk}": "1"},
    )
    assert list(world["agenda"].actions.in_order().values_list("title", flat=True)) == [
        "Azione C",
        "Azione A",
        "Azione B",
    ]
