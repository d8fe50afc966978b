"""The agenda's services: who drafts what, versions (draft → submitted → approved, copies, supersession),
order, amendments, the audit log, and the freeze of an approved version (services, and the database on
PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from projects.factories import AgendaActionFactory
from projects.models import Agenda, AgendaAction, AgendaStatus
from projects.services.agenda import (
    amend_action,
    approve_agenda,
    delete_action,
    new_agenda,
    reorder,
    save_action,
    submit_agenda,
)
from psm_portal.audit.models import AuditEvent
from tests.conftest import skip_or_fail
from tests.projects.conftest import action_data

pytestmark = pytest.mark.django_db


def test_an_office_drafts_an_action_for_its_own_project(office_a_user, agenda_draft, published_a, tree):
    action = save_action(office_a_user, agenda_draft, action_data(projects=[published_a.pk], objective=tree["A1.1"].pk))
    assert action.responsible_office == office_a_user.office
    assert list(action.projects.all()) == [published_a]
    assert action.code == "A2027.1"
    assert action.budget == Decimal("120000.50")
    event = AuditEvent.objects.get(action="agenda.action_create")
    assert event.actor == office_a_user
    assert event.after["projects"] == [published_a.pk]


def test_an_office_cannot_link_another_offices_project(office_a_user, agenda_draft, published_b):
    with pytest.raises(ValidationError, match="solo i progetti del tuo ufficio"):
        save_action(office_a_user, agenda_draft, action_data(projects=[published_b.pk]))
    assert not AgendaAction.objects.exists()


def test_an_office_cannot_name_another_office_responsible(office_a_user, office_b, agenda_draft, published_a):
    with pytest.raises(ValidationError, match="solo le azioni del tuo ufficio"):
        save_action(office_a_user, agenda_draft, action_data(projects=[published_a], responsible_office=office_b.pk))


def test_an_office_cannot_edit_or_delete_another_offices_action(office_b_user, agenda_draft, published_a, office_a):
    action = AgendaActionFactory(agenda=agenda_draft, responsible_office=office_a, projects=[published_a])
    with pytest.raises(ValidationError, match="solo le azioni del tuo ufficio"):
        save_action(office_b_user, agenda_draft, {"title": "Presa"}, action=action)
    with pytest.raises(ValidationError, match="solo le azioni del tuo ufficio"):
        delete_action(office_b_user, action)
    action.refresh_from_db()
    assert action.title != "Presa"


def test_a_forged_project_id_is_refused(office_a_user, agenda_draft):
    with pytest.raises(ValidationError, match="non esiste"):
        save_action(office_a_user, agenda_draft, action_data(projects=[999999]))


def test_an_action_needs_a_published_project_and_quarters_in_order(team_user, agenda_draft, draft_a, published_a):
    with pytest.raises(ValidationError, match="almeno un progetto"):
        save_action(team_user, agenda_draft, action_data(projects=[], responsible_office=published_a.office))
    with pytest.raises(ValidationError, match="progetti pubblicati"):
        save_action(team_user, agenda_draft, action_data(projects=[draft_a], responsible_office=draft_a.office))
    with pytest.raises(ValidationError) as error:
        save_action(
            team_user,
            agenda_draft,
            action_data(projects=[published_a], responsible_office=published_a.office, start_quarter=3, due_quarter=2),
        )
    assert "due_quarter" in error.value.error_dict


def test_an_axis_is_not_an_actions_objective(team_user, agenda_draft, published_a, tree):
    with pytest.raises(ValidationError, match="obiettivo specifico"):
        save_action(
            team_user,
            agenda_draft,
            action_data(projects=[published_a], responsible_office=published_a.office, objective=tree["A1"].pk),
        )


@pytest.mark.parametrize("name", ["mayor_a", "council_user", "stakeholder_user"])
def test_other_roles_draft_nothing(name, cast, agenda_draft, published_a):
    with pytest.raises(ValidationError):
        save_action(
            cast(name), agenda_draft, action_data(projects=[published_a], responsible_office=published_a.office)
        )


def test_the_team_orders_the_agenda_and_deleting_closes_up(team_user, office_a_user, agenda_draft, published_a):
    actions = [
        save_action(office_a_user, agenda_draft, action_data(title=f"Azione {n}", projects=[published_a]))
        for n in range(3)
    ]
    with pytest.raises(ValidationError, match="Solo il team"):
        reorder(office_a_user, agenda_draft, [a.pk for a in reversed(actions)])
    reorder(team_user, agenda_draft, [a.pk for a in reversed(actions)])
    assert [a.title for a in agenda_draft.actions.in_order()] == ["Azione 2", "Azione 1", "Azione 0"]
    assert AuditEvent.objects.filter(action="agenda.reorder").count() == 1
    with pytest.raises(ValidationError, match="non corrisponde"):
        reorder(team_user, agenda_draft, [actions[0].pk, actions[1].pk])
    with pytest.raises(ValidationError, match="non corrisponde"):
        reorder(team_user, agenda_draft, [actions[0].pk, actions[1].pk, 424242])
    delete_action(office_a_user, actions[1])
    assert list(agenda_draft.actions.in_order().values_list("title", "position")) == [("Azione 2", 1), ("Azione 0", 2)]


def _approved_2027(team_user, office_a_user, published_a) -> Agenda:
    agenda = new_agenda(team_user, 2027)
    save_action(office_a_user, agenda, action_data(projects=[published_a]))
    submit_agenda(team_user, agenda)
    return approve_agenda(agenda, act="Delibera n. 12/2027")


def test_versions_go_draft_submitted_approved_and_a_new_draft_copies_the_actions(
    team_user, office_a_user, published_a, office_b
):
    first = new_agenda(team_user, 2027)
    assert (first.version, first.status) == (1, AgendaStatus.DRAFT)
    with pytest.raises(ValidationError, match="già una bozza"):
        new_agenda(team_user, 2027)
    with pytest.raises(ValidationError, match="non ha azioni"):
        submit_agenda(team_user, first)
    action = save_action(office_a_user, first, action_data(projects=[published_a], contributing_offices=[office_b.pk]))
    submit_agenda(team_user, first)
    assert Agenda.objects.for_year(2027).public() == first
    with pytest.raises(ValidationError, match="si modifica solo una bozza"):
        save_action(office_a_user, first, {"title": "Tardi"}, action=action)
    approve_agenda(first, act="Delibera n. 12/2027")
    first.refresh_from_db()
    assert first.status == AgendaStatus.APPROVED and first.approved_by_act == "Delibera n. 12/2027"

    second = new_agenda(team_user, 2027)
    assert second.version == 2
    copy = second.actions.get()
    assert copy.pk != action.pk and copy.title == action.title and copy.budget == action.budget
    assert list(copy.projects.all()) == [published_a] and list(copy.contributing_offices.all()) == [office_b]
    save_action(office_a_user, second, {"title": "Titolo rivisto"}, action=copy)
    action.refresh_from_db()
    assert action.title == "Progettazione esecutiva del ponte"  # the approved version keeps its own
    assert Agenda.objects.for_year(2027).public() == first  # the approved one, while the new one is a draft
    submit_agenda(team_user, second)
    assert Agenda.objects.for_year(2027).public() == first
    approve_agenda(second, act="Delibera n. 30/2027")
    first.refresh_from_db()
    assert first.status == AgendaStatus.SUPERSEDED
    assert Agenda.objects.for_year(2027).public() == second
    assert list(
        AuditEvent.objects.filter(object_type="projects.agenda").order_by("pk").values_list("action", flat=True)
    ) == [
        "agenda.create",
        "agenda.submit",
        "agenda.approve",
        "agenda.create",
        "agenda.submit",
        "agenda.supersede",
        "agenda.approve",
    ]


def test_later_years_get_their_own_agenda(team_user, office_a_user, settings):
    settings.PSM_PLAN_YEARS = "2027-2029"
    assert new_agenda(team_user, 2028).version == 1
    assert new_agenda(team_user, 2027).version == 1
    with pytest.raises(ValidationError, match="dal 2027 al 2029"):
        new_agenda(team_user, 2031)
    with pytest.raises(ValidationError, match="Solo il team"):
        new_agenda(office_a_user, 2029)


def test_a_new_submission_supersedes_the_version_submitted_before(team_user, office_a_user, published_a):
    first = new_agenda(team_user, 2027)
    save_action(office_a_user, first, action_data(projects=[published_a]))
    submit_agenda(team_user, first)
    second = new_agenda(team_user, 2027)
    submit_agenda(team_user, second)
    first.refresh_from_db()
    assert first.status == AgendaStatus.SUPERSEDED
    assert Agenda.objects.submitted().get() == second


def test_only_a_submitted_agenda_is_approved(team_user, agenda_draft):
    with pytest.raises(ValidationError, match="sottoposta al Consiglio"):
        approve_agenda(agenda_draft, act="Delibera n. 1/2027")
    with pytest.raises(ValidationError, match="Indica l'atto"):
        approve_agenda(agenda_draft, act=" ")


def test_an_approved_agenda_is_refused_by_every_service(team_user, office_a_user, published_a):
    agenda = _approved_2027(team_user, office_a_user, published_a)
    action = agenda.actions.get()
    attempts = [
        lambda: save_action(
            team_user, agenda, action_data(projects=[published_a], responsible_office=published_a.office)
        ),
        lambda: save_action(team_user, agenda, {"title": "Cambiata"}, action=action),
        lambda: delete_action(team_user, action),
        lambda: reorder(team_user, agenda, [action.pk]),
        lambda: submit_agenda(team_user, agenda),
        lambda: approve_agenda(agenda, act="Delibera n. 13/2027"),
        lambda: amend_action(action, changes={"title": "Cambiata"}, reason="Emendamento n. 1"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    action.refresh_from_db()
    assert action.title == "Progettazione esecutiva del ponte"


def test_an_amendment_changes_an_action_of_the_submitted_agenda_with_its_reason(team_user, office_a_user, published_a):
    agenda = new_agenda(team_user, 2027)
    action = save_action(office_a_user, agenda, action_data(projects=[published_a]))
    with pytest.raises(ValidationError, match="sottoposta al Consiglio"):
        amend_action(action, changes={"budget": Decimal("1")}, reason="Emendamento n. 3")
    submit_agenda(team_user, agenda)
    with pytest.raises(ValidationError, match="sconosciuti"):
        amend_action(action, changes={"agenda": 1}, reason="Emendamento n. 3")
    with pytest.raises(ValidationError, match="motivo"):
        amend_action(action, changes={"budget": Decimal("1")}, reason="")
    amend_action(action, changes={"budget": Decimal("150000"), "due_quarter": 4}, reason="Emendamento n. 3")
    action.refresh_from_db()
    assert (action.budget, action.due_quarter) == (Decimal("150000.00"), 4)
    event = AuditEvent.objects.get(action="agenda.action_amend")
    assert event.after["reason"] == "Emendamento n. 3"
    assert event.before["budget"] == "120000.50" and event.after["budget"] == "150000.00"


def test_the_database_refuses_a_raw_update_of_an_approved_agenda(team_user, office_a_user, published_a, office_b):
    """On PostgreSQL a trigger refuses what bypasses the services (CI runs this on PostgreSQL)."""
    if connection.vendor != "postgresql":
        skip_or_fail("i trigger che congelano l'agenda approvata esistono solo su PostgreSQL (DATABASE_URL)")
    agenda = _approved_2027(team_user, office_a_user, published_a)
    action = agenda.actions.get()
    statements = [
        ("UPDATE projects_agenda SET approved_by_act = 'Delibera n. 99/2027' WHERE id = %s", [agenda.pk]),
        ("UPDATE projects_agenda SET status = 'draft' WHERE id = %s", [agenda.pk]),
        ("DELETE FROM projects_agenda WHERE id = %s", [agenda.pk]),
        ("UPDATE projects_agendaaction SET budget = 1 WHERE id = %s", [action.pk]),
        ("DELETE FROM projects_agendaaction WHERE id = %s", [action.pk]),
        (
            "INSERT INTO projects_agendaaction (agenda_id, position, title, description, responsible_office_id, "
            "start_quarter, due_quarter, budget, funding_source, expected_output, indicator, status, created_at, "
            "updated_at) VALUES (%s, 9, 'Intrusa', '', %s, 1, 1, 0, '', '', '', 'planned', now(), now())",
            [agenda.pk, office_b.pk],
        ),
        ("DELETE FROM projects_agendaaction_projects WHERE agendaaction_id = %s", [action.pk]),
        (
            "INSERT INTO projects_agendaaction_contributing_offices (agendaaction_id, office_id) VALUES (%s, %s)",
            [action.pk, office_b.pk],
        ),
    ]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="approvata"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    agenda.refresh_from_db()
    assert agenda.approved_by_act == "Delibera n. 12/2027" and agenda.actions.count() == 1
    # The ORM is refused too (the admin writes through it).
    action.title = "Cambiata dall'amministrazione"
    with pytest.raises(DatabaseError), transaction.atomic():
        action.save()
    # Its one allowed change: superseded by a later approved version, dates and act untouched.
    second = new_agenda(team_user, 2027)
    submit_agenda(team_user, second)
    approve_agenda(second, act="Delibera n. 30/2027")
    agenda.refresh_from_db()
    assert agenda.status == AgendaStatus.SUPERSEDED
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE projects_agenda SET status = 'approved' WHERE id = %s", [agenda.pk])
    # A draft is not frozen.
    draft = new_agenda(team_user, 2027)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_agendaaction SET budget = 1 WHERE agenda_id = %s", [draft.pk])
    assert draft.actions.get().budget == Decimal("1.00")
    assert draft.actions.get().projects.get() == published_a


def test_the_admin_shows_an_approved_agenda_but_changes_nothing(login, team_user, office_a_user, published_a):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    agenda = _approved_2027(team_user, office_a_user, published_a)
    action = agenda.actions.get()
    superuser = get_user_model().objects.create_superuser(email="root@test.local", password="x")
    client = login(superuser)
    assert client.get(reverse("admin:projects_agenda_change", args=[agenda.pk])).status_code == 200
    assert client.get(reverse("admin:projects_agendaaction_changelist")).status_code == 200
    refused = [
        client.post(reverse("admin:projects_agenda_change", args=[agenda.pk]), {"approved_by_act": "Falsa"}),
        client.post(reverse("admin:projects_agenda_delete", args=[agenda.pk]), {"post": "yes"}),
        client.post(reverse("admin:projects_agendaaction_change", args=[action.pk]), {"title": "Cambiata"}),
        client.post(reverse("admin:projects_agendaaction_delete", args=[action.pk]), {"post": "yes"}),
        client.get(reverse("admin:projects_agendaaction_add")),
    ]
    assert [response.status_code for response in refused] == [403] * 5
    agenda.refresh_from_db()
    action.refresh_from_db()
    assert agenda.approved_by_act == "Delibera n. 12/2027" and action.title == "Progettazione esecutiva del ponte"


def test_bad_ids_are_refused_with_a_message(office_a_user, agenda_draft, published_a):
    with pytest.raises(ValidationError, match="Identificativo non valido"):
        save_action(office_a_user, agenda_draft, action_data(projects=["uno"]))
    with pytest.raises(ValidationError, match="Identificativo non valido"):
        save_action(office_a_user, agenda_draft, action_data(projects=[published_a], responsible_office="x"))
