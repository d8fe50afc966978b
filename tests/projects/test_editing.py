"""Creating and editing projects by hand: only the office's staff and the team; every change in the history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from projects.factories import ProjectFactory
from projects.models import ChangeKind, FundingSource, Project, ProjectChange, Publication
from psm_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {
        "title": "Nuova strada",
        "summary": "",
        "description": "",
        "cup": "b33c 22000020006",
        "local_code": "",
        "status": "funded",
        "priority": "2",
        "municipalities": ["083048", "083041"],
        "total_cost": "1.234.567,89",
        "planned_start": "01/03/2025",
        "planned_end": "31/12/2026",
        "actual_start": "",
        "actual_end": "",
        "funding_pnrr": "1.000.000",
        "funding_metro_city": "234.567,89",
    }
    data.update(changes)
    return data


def test_office_staff_create_a_draft_of_their_office(login, office_a_user):
    response = login(office_a_user).post(reverse("projects:create"), form_data())
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert project.office == office_a_user.office
    assert project.cup == "B33C22000020006"
    assert project.publication == Publication.DRAFT
    assert project.total_cost == Decimal("1234567.89")
    assert dict(project.funding_lines.values_list("source", "amount")) == {
        "pnrr": Decimal("1000000.00"),
        "metro_city": Decimal("234567.89"),
    }
    assert sorted(project.municipalities.values_list("istat_code", flat=True)) == ["083041", "083048"]
    change = project.changes.get()
    assert change.kind == ChangeKind.CREATED and change.actor == office_a_user


def test_office_staff_cannot_choose_another_office(login, office_a_user, office_b):
    login(office_a_user).post(reverse("projects:create"), form_data(office=office_b.pk))
    assert Project.objects.get().office == office_a_user.office


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"cup": "123"}, "cup", "Il CUP deve avere 15 caratteri"),
        ({"cup": ""}, "cup", "Il CUP è obbligatorio, tranne che per le idee."),
        ({"municipalities": []}, "municipalities", "Indica almeno un comune"),
        ({"total_cost": "-5"}, "total_cost", "negativo"),
        ({"planned_end": "01/01/2024"}, "planned_end", "La fine prevista è precedente"),
        ({"planned_start": "31/02/2025"}, "planned_start", "data valida"),
    ],
)
def test_invalid_input_gives_italian_messages_and_saves_nothing(login, office_a_user, changes, field, message):
    response = login(office_a_user).post(reverse("projects:create"), form_data(**changes))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Project.objects.exists()


def test_a_duplicate_cup_is_refused(login, office_a_user, office_b):
    ProjectFactory(office=office_b, cup="B33C22000020006")
    response = login(office_a_user).post(reverse("projects:create"), form_data())
    assert response.status_code == 200
    assert "Esiste già un progetto con questo CUP." in str(response.context["form"].errors)
    assert Project.objects.count() == 1


def test_an_idea_needs_no_cup(login, office_a_user):
    login(office_a_user).post(
        reverse("projects:create"), form_data(cup="", status="idea", municipalities=[], whole_area="on")
    )
    assert Project.objects.get().whole_area


def test_edit_records_who_when_what(login, office_a_user, office_a, messina):
    project = ProjectFactory(office=office_a, cup="B33C22000020006", title="Prima", municipalities=[messina])
    client = login(office_a_user)
    client.post(reverse("projects:edit", args=[project.pk]), form_data(title="Dopo", municipalities=["083048"]))
    change = project.changes.get()
    assert change.actor == office_a_user and change.kind == ChangeKind.UPDATED
    assert change.changes["title"] == ["Prima", "Dopo"]
    assert change.changes["funding"][0] == {}
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Storico delle modifiche" in html and "Andrea Uffici" in html
    assert "<strong>titolo</strong>: Prima → Dopo" in html
    # saving again without changes adds nothing
    client.post(reverse("projects:edit", args=[project.pk]), form_data(title="Dopo", municipalities=["083048"]))
    assert project.changes.count() == 1


def test_publish_and_withdraw_are_recorded_and_audited(login, office_a_user, draft_a):
    client = login(office_a_user)
    client.post(reverse("projects:publish", args=[draft_a.pk]), {"azione": "pubblica"})
    draft_a.refresh_from_db()
    assert draft_a.is_published and draft_a.published_at
    assert draft_a.title in client.get(reverse("projects:catalogue")).content.decode()
    client.post(reverse("projects:publish", args=[draft_a.pk]), {"azione": "ritira"})
    draft_a.refresh_from_db()
    assert not draft_a.is_published
    assert [c.kind for c in draft_a.changes.all()] == [ChangeKind.UNPUBLISHED, ChangeKind.PUBLISHED]
    assert AuditEvent.objects.filter(action__startswith="project.").count() == 2


def test_team_edits_any_office_project(login, team_user, draft_a, office_b):
    login(team_user).post(
        reverse("projects:edit", args=[draft_a.pk]), form_data(title="Spostato", office=office_b.pk, cup=draft_a.cup)
    )
    draft_a.refresh_from_db()
    assert draft_a.office == office_b and draft_a.title == "Spostato"


def test_model_constraints_guard_the_cup():
    from django.db import IntegrityError, transaction

    project = ProjectFactory(cup="B33C22000020006")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(cup="B33C22000020006")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(cup="not-a-cup")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(cup="", status="funded")
    ProjectFactory(cup="", status="idea")
    ProjectFactory(cup="", status="idea")  # several ideas without CUP are fine
    assert Project.objects.count() == 3 and project.pk


def test_history_labels_follow_the_active_language():
    from projects.views.public import _readable_history

    change = ProjectChange(changes={"municipalities": [[], ["083048"]], "title": ["Prima", "Dopo"]})
    with translation.override("en"):
        labels = [str(field["label"]) for field in _readable_history([change])[0]["fields"]]
    assert labels == ["municipalities (ISTAT codes)", "title"]


def test_saving_without_changes_writes_nothing(login, office_a_user, office_a, messina, lipari):
    project = ProjectFactory(
        office=office_a,
        cup="B33C22000020006",
        title="Nuova strada",
        summary="",
        status="funded",
        municipalities=[messina, lipari],
        total_cost=Decimal("1234567.89"),
        funding={"pnrr": Decimal("1000000"), "metro_city": Decimal("234567.89")},
        planned_start=date(2025, 3, 1),
        planned_end=date(2026, 12, 31),
    )
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now() - timedelta(days=3))
    project.refresh_from_db()
    lines = set(project.funding_lines.values_list("pk", flat=True))
    response = login(office_a_user).post(reverse("projects:edit", args=[project.pk]), form_data())
    assert response.status_code == 302
    saved = Project.objects.get(pk=project.pk)
    assert saved.updated_at == project.updated_at
    assert set(saved.funding_lines.values_list("pk", flat=True)) == lines  # not deleted and written again
    assert not saved.changes.exists()


def test_a_no_change_update_sends_no_write_query(office_a_user, office_a, messina, lipari):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.services.projects import project_update

    funding = {"pnrr": Decimal("1000000"), "metro_city": Decimal("234567.89")}
    project = ProjectFactory(
        office=office_a, cup="B33C22000020006", title="Strada", municipalities=[messina, lipari], funding=funding
    )
    with CaptureQueriesContext(connection) as queries:
        change = project_update(
            actor=office_a_user,
            project=project,
            fields={"title": "Strada", "cup": "B33C22000020006"},
            municipality_codes=[lipari.istat_code, messina.istat_code],
            funding={"pnrr": Decimal("1000000.00"), "metro_city": Decimal("234567.89")},
            objectives=[],
        )
    assert change is None
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    # A real change is still written and recorded.
    change = project_update(
        actor=office_a_user, project=project, fields={"title": "Altra"}, municipality_codes=None, funding=None
    )
    assert change.changes == {"title": ["Strada", "Altra"]}
    assert Project.objects.get(pk=project.pk).title == "Altra"


def test_edit_page_reads_the_funding_lines_once(login, office_a_user, office_a, django_assert_max_num_queries):
    funding = {source: Decimal(n + 1) for n, (source, _label) in enumerate(FundingSource.choices)}
    project = ProjectFactory(office=office_a, cup="B33C22000020006", funding=funding)
    client = login(office_a_user)
    client.get(reverse("projects:edit", args=[project.pk]))  # session and phases warmed up
    # One query for the funding lines, not one per funding source (there are 9).
    with django_assert_max_num_queries(8) as queries:
        response = client.get(reverse("projects:edit", args=[project.pk]))
    assert response.status_code == 200
    assert sum("projects_fundingline" in query["sql"] for query in queries.captured_queries) == 1
    assert "1,00" in response.content.decode() and "9,00" in response.content.decode()
