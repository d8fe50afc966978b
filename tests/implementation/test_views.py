"""The pages of implementation for the whole cast: the reserved area (offices report on their own projects and
actions only, forged ids refused, the team reviews after a confirmation), the public /attuazione/ page, the
project and comune sections, the open data; bad input never a 500."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from implementation.factories import ProgressReportFactory
from implementation.models import ProgressReport, Review
from tests.conftest import CAST
from tests.files import pdf
from tests.implementation.conftest import expected

pytestmark = pytest.mark.django_db

OFFICES_AND_TEAM = {"team_user": 200, "office_a_user": 200, "office_b_user": 200}


def report_post(**changes) -> dict:
    data = {
        "progress": "on_track",
        "percent": "35",
        "note": "Cantiere aperto.",
        "traguardi-TOTAL_FORMS": "2",
        "traguardi-INITIAL_FORMS": "0",
        "traguardi-0-title": "Consegna dei lavori",
        "traguardi-0-planned_on": "15/03/2027",
        "traguardi-0-achieved_on": "",
        "traguardi-1-title": "",
        "fonti-TOTAL_FORMS": "1",
        "fonti-INITIAL_FORMS": "0",
        "fonti-0-source": "pnrr",
        "fonti-0-committed": "300.000,00",
        "fonti-0-paid": "120.000,50",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", CAST)
def test_the_reporting_page_is_for_offices_and_the_team(name, cast, login, final_phase, project_a, project_b, cycle):
    response = login(cast(name)).get(reverse("implementation:office"))
    assert response.status_code == expected(OFFICES_AND_TEAM, name)
    if response.status_code == 200:
        html = response.content.decode()
        assert (project_a.title in html) == (name in ("team_user", "office_a_user"))
        assert (project_b.title in html) == (name in ("team_user", "office_b_user"))
        assert ("Nuovo ciclo di rendicontazione" in html) == (name == "team_user")


@pytest.mark.parametrize("name", CAST)
def test_the_report_form_only_for_the_subjects_office(name, cast, login, final_phase, project_a, action_a, cycle):
    client = login(cast(name))
    table = {"team_user": 200, "office_a_user": 200, "office_b_user": 404}
    for kind, subject in (("progetto", project_a), ("azione", action_a)):
        response = client.get(reverse("implementation:report_create", args=[cycle.pk, kind, subject.pk]))
        assert response.status_code == expected(table, name)


@pytest.mark.parametrize("name", CAST)
def test_submitting_a_report(name, cast, login, final_phase, project_a, cycle):
    response = login(cast(name)).post(
        reverse("implementation:report_create", args=[cycle.pk, "progetto", project_a.pk]),
        {**report_post(), "document": pdf("SAL n. 3.pdf")},
    )
    allowed = name in ("team_user", "office_a_user")
    assert response.status_code == expected({"team_user": 302, "office_a_user": 302, "office_b_user": 404}, name)
    assert ProgressReport.objects.exists() == allowed
    if allowed:
        report = ProgressReport.objects.get()
        assert response["Location"] == report.get_absolute_url()
        assert report.paid_total == 120000.50 and report.milestones.get().planned_on.isoformat() == "2027-03-15"


def test_forged_and_odd_ids_are_refused(login, office_a_user, final_phase, project_a, project_b, cycle):
    client = login(office_a_user)
    for args in (
        [cycle.pk, "progetto", project_b.pk],
        [cycle.pk, "progetto", 999999],
        [999999, "progetto", project_a.pk],
        [cycle.pk, "altro", project_a.pk],
    ):
        assert client.get(reverse("implementation:report_create", args=args)).status_code == 404
    assert (
        client.post(
            reverse("implementation:report_create", args=[cycle.pk, "progetto", project_b.pk]), report_post()
        ).status_code
        == 404
    )
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"percent": "centoventi"},
        {"percent": "-3"},
        {"progress": "completed", "percent": "50"},
        {"fonti-0-paid": "999.999.999,00"},
        {"fonti-0-committed": "dodici euro"},
        {"traguardi-0-planned_on": "31/02/2027"},
        {"traguardi-TOTAL_FORMS": "5000"},
        {"fonti-0-source": "bitcoin"},
        {"note": "x" * 5000},
    ],
)
def test_bad_input_is_an_error_not_a_500(changes, login, office_a_user, final_phase, project_a, cycle):
    response = login(office_a_user).post(
        reverse("implementation:report_create", args=[cycle.pk, "progetto", project_a.pk]), report_post(**changes)
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.exists()


def test_a_fake_document_is_refused(login, office_a_user, final_phase, project_a, cycle):
    from tests.files import fake_pdf

    response = login(office_a_user).post(
        reverse("implementation:report_create", args=[cycle.pk, "progetto", project_a.pk]),
        {**report_post(), "document": fake_pdf()},
    )
    assert response.status_code == 200 and not ProgressReport.objects.exists()


@pytest.fixture
def pending(project_a, cycle):
    return ProgressReportFactory(cycle=cycle, project=project_a, percent=30, document=pdf("sal.pdf"))


@pytest.mark.parametrize("name", CAST)
def test_a_report_page_for_its_office_and_the_team(name, cast, login, final_phase, pending):
    client = login(cast(name))
    table = {"team_user": 200, "office_a_user": 200, "office_b_user": 404}
    response = client.get(pending.get_absolute_url())
    assert response.status_code == expected(table, name)
    if response.status_code == 200:
        assert ("Rinvia all" in response.content.decode()) == (name == "team_user")
    document = client.get(reverse("implementation:report_document", args=[pending.pk]))
    assert document.status_code == expected(table, name)
    if document.status_code == 200:
        assert document["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("name", CAST)
def test_the_review_queue_is_the_teams(name, cast, login, final_phase, pending):
    response = login(cast(name)).get(reverse("implementation:review_queue"))
    assert response.status_code == expected({"team_user": 200}, name)
    if response.status_code == 200:
        assert pending.project.title in response.content.decode()


@pytest.mark.parametrize("name", CAST)
def test_validating_asks_for_confirmation_and_is_the_teams(name, cast, login, final_phase, pending):
    client = login(cast(name))
    url = reverse("implementation:report_validate", args=[pending.pk])
    first = client.post(url)
    assert first.status_code == expected({"team_user": 200, "office_a_user": 403, "office_b_user": 403}, name)
    pending.refresh_from_db()
    assert pending.review == Review.SUBMITTED
    second = client.post(url, {"conferma": "1"})
    pending.refresh_from_db()
    assert (pending.review == Review.VALIDATED) == (name == "team_user")
    if name == "team_user":
        assert second.status_code == 302 and pending.current


@pytest.mark.parametrize("name", CAST)
def test_returning_is_the_teams(name, cast, login, final_phase, pending):
    response = login(cast(name)).post(
        reverse("implementation:report_return", args=[pending.pk]), {"reason": "Manca il SAL."}
    )
    assert response.status_code == expected({"team_user": 302, "office_a_user": 403, "office_b_user": 403}, name)
    pending.refresh_from_db()
    assert (pending.review == Review.RETURNED) == (name == "team_user")


def test_a_return_without_reason_changes_nothing(login, team_user, final_phase, pending):
    login(team_user).post(reverse("implementation:report_return", args=[pending.pk]), {"reason": ""})
    pending.refresh_from_db()
    assert pending.review == Review.SUBMITTED


@pytest.mark.parametrize("name", CAST)
def test_creating_a_cycle_is_the_teams(name, cast, login, final_phase):
    response = login(cast(name)).post(
        reverse("implementation:cycle_create"),
        {"title": "III trimestre 2027", "opens_on": "01/07/2027", "closes_on": "30/09/2027"},
    )
    assert response.status_code == expected({"team_user": 302, "office_a_user": 403, "office_b_user": 403}, name)
    from implementation.models import ReportingCycle

    assert ReportingCycle.objects.filter(title="III trimestre 2027").exists() == (name == "team_user")


def test_reserved_pages_outside_the_final_phase(login, office_a_user, project_a, cycle):
    client = login(office_a_user)
    assert client.get(reverse("implementation:office")).status_code == 200
    response = client.get(reverse("implementation:report_create", args=[cycle.pk, "progetto", project_a.pk]))
    assert response.status_code == 403
    assert "rendicontare" in response.content.decode()


# --- Public ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def validated(project_a, project_b, action_a, cycle):
    return [
        ProgressReportFactory(cycle=cycle, project=project_a, percent=40, note="Cantiere avviato.", validated=True),
        ProgressReportFactory(cycle=cycle, project=project_b, percent=80, validated=True),
        ProgressReportFactory(cycle=cycle, action=action_a, percent=10, validated=True),
    ]


@pytest.mark.parametrize("name", CAST)
def test_the_public_page_for_everybody(name, cast, login, validated, tree):
    response = login(cast(name)).get(reverse("implementation:progress"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Avanzamento per obiettivo" in html and "A1.1" in html and "mappa-attuazione" in html
    assert "media semplice" in html  # project B has no cost


@pytest.mark.parametrize(
    "query",
    [
        "?ufficio=abc",
        "?comune=999999",
        "?fonte=nulla",
        "?stato=%00",
        "?ufficio=1&comune=083048&fonte=pnrr&stato=on_track&mappa=pagato",
        "?mappa=" + "x" * 3000,
    ],
)
def test_the_public_page_ignores_bad_filters(query, client, validated):
    assert client.get(reverse("implementation:progress") + query).status_code == 200


def test_the_page_in_english(client, validated):
    response = client.get("/en/attuazione/")
    assert response.status_code == 200


def test_the_project_page_shows_only_validated_reports(client, validated, project_a, cycle):
    ProgressReportFactory(cycle=cycle, project=project_a, percent=99, note="In attesa di verifica.")
    html = client.get(project_a.get_absolute_url()).content.decode()
    assert "Cantiere avviato." in html and "In attesa di verifica." not in html


def test_the_comune_page_has_an_implementation_section(client, validated, messina):
    html = client.get(messina.get_absolute_url()).content.decode()
    assert "Attuazione nel comune" in html and "40%" in html


def test_open_data_one_row_per_validated_report(client, validated, project_a, cycle):
    ProgressReportFactory(cycle=cycle, project=project_a, percent=99, review=Review.SUBMITTED)
    response = client.get(reverse("implementation:opendata_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert {row["subject_type"] for row in rows} == {"project", "action"}
    assert not any("@" in value for row in rows for value in row.values())  # no personal data
    assert "Attuazione del piano" in client.get(reverse("opendata")).content.decode()


def test_reviewing_is_closed_outside_the_final_phase(login, team_user, pending):
    client = login(team_user)
    assert (
        client.post(reverse("implementation:report_validate", args=[pending.pk]), {"conferma": "1"}).status_code == 403
    )
    assert client.post(reverse("implementation:report_return", args=[pending.pk]), {"reason": "No"}).status_code == 403
    pending.refresh_from_db()
    assert pending.review == Review.SUBMITTED
