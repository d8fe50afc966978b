"""The council's pages, for the whole cast: the dossier, sending the plan, amendments, votes and the deliberation;
forged ids, a closed window or phase, confirmations, the read-only admin and the dossier's queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plan.models import Amendment, AmendmentState, Deliberation, Examination
from plan.services.council import file_amendment, record_admissibility
from projects.factories import AgendaActionFactory, AgendaFactory, fake_cup
from projects.models import AgendaAction, Project
from psm_portal.accounts.factories import OfficeFactory
from tests.conftest import CAST
from tests.files import fake_pdf, pdf
from tests.plan.council import amendment_data

pytestmark = pytest.mark.django_db

READERS = {"team_user", "council_user", "secretary_user"}
RECORDERS = {"team_user", "secretary_user"}


def status_for(name: str, allowed: set[str], ok: int = 200) -> int:
    if name == "anonymous":
        return 302
    return ok if name in allowed else 403


@pytest.mark.parametrize("name", CAST)
def test_the_dossier_is_for_team_council_and_secretary(name, cast, login, examination, in_plan):
    response = login(cast(name)).get(reverse("plan:council"))
    assert response.status_code == status_for(name, READERS)
    if response.status_code == 200:
        html = response.content.decode()
        assert examination.document.sha256 in html
        assert reverse("plan:download", args=[examination.document.pk]) in html
        assert "Ponte sul torrente" in html and "€ 1.000.000,00" in html
        assert "A2027.1" in html and "Gara d&#x27;appalto" in html
        for link in ("plan:discussion_coverage", "phases:opendata_positions", "municipalities:list"):
            assert reverse(link) in html
        assert (reverse("plan:deliberation") in html) == (name in RECORDERS)
        assert (reverse("plan:amendment_file") in html) == (name == "council_user")


def test_the_dossier_without_an_examination_offers_the_team_to_send_the_plan(
    login, team_user, council_user, final_phase, final_document
):
    html = login(team_user).get(reverse("plan:council")).content.decode()
    assert "Nessuna versione del piano finale è stata ancora trasmessa" in html
    assert reverse("plan:examination_open") in html
    assert reverse("plan:examination_open") not in login(council_user).get(reverse("plan:council")).content.decode()


def _window() -> dict:
    now = timezone.localtime()
    return {
        "opens": now.strftime("%Y-%m-%dT%H:%M"),
        "closes": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_sends_the_plan_after_confirming(name, cast, login, final_phase, final_document, agenda):
    client = login(cast(name))
    data = {"document": final_document.pk, "agenda": agenda.pk, **_window()}
    response = client.post(reverse("plan:examination_open"), data)
    if name != "team_user":
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert not Examination.objects.exists()
        return
    html = response.content.decode()
    assert response.status_code == 200 and "Trasmettere il piano finale al Consiglio metropolitano?" in html
    assert final_document.sha256 in html and not Examination.objects.exists()
    response = client.post(reverse("plan:examination_open"), {**data, "conferma": "1"})
    assert response.status_code == 302 and Examination.objects.get().agenda == agenda


def test_a_forged_document_is_a_message(login, team_user, final_phase, media):
    response = login(team_user).post(reverse("plan:examination_open"), {"document": 999999, **_window()}, follow=True)
    assert response.status_code == 200 and not Examination.objects.exists()
    assert "Versione del piano finale" in response.content.decode()


@pytest.mark.parametrize("name", CAST)
def test_amendments_are_listed_for_the_readers(name, cast, login, examination, council_user):
    file_amendment(council_user, examination, amendment_data(text="Lo Stretto unisce."))
    response = login(cast(name)).get(reverse("plan:amendments"))
    assert response.status_code == status_for(name, READERS)
    if response.status_code == 200:
        html = response.content.decode()
        assert "Emendamento n. 1" in html and "Carla Consiglio" in html and "presentato" in html


@pytest.mark.parametrize("name", CAST)
def test_only_councillors_file_amendments(name, cast, login, examination, in_plan):
    client = login(cast(name))
    page = client.get(reverse("plan:amendment_file"))
    assert page.status_code == status_for(name, {"council_user"})
    response = client.post(
        reverse("plan:amendment_file"),
        {"target": "project_amount", "project": in_plan.pk, "amount": "750.000,00", "motivation": "Costa meno."},
    )
    if name == "council_user":
        amendment = Amendment.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("plan:amendment", args=[amendment.pk])
        assert amendment.amount == Decimal("750000.00") and amendment.project == in_plan
    else:
        assert not Amendment.objects.exists()


def test_a_forged_action_or_project_is_a_form_error(login, council_user, examination, office_a):
    other = AgendaActionFactory(agenda=AgendaFactory(year=2028), responsible_office=office_a)
    client = login(council_user)
    for data in (
        {"target": "action", "action": other.pk, "text": "x", "motivation": "m"},
        {"target": "project_amount", "project": 999999, "amount": "1", "motivation": "m"},
        {"target": "section", "section": "vision", "text": "x", "motivation": "m", "amount": "abc"},
    ):
        response = client.post(reverse("plan:amendment_file"), data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert not Amendment.objects.exists()


def test_no_amendment_once_the_window_closed(login, council_user, examination, final_phase):
    final_phase.shift(timedelta(days=8))
    client = login(council_user)
    assert "La finestra per gli emendamenti è chiusa" in client.get(reverse("plan:amendment_file")).content.decode()
    client.post(reverse("plan:amendment_file"), amendment_data())
    assert not Amendment.objects.exists()


def test_amending_is_closed_outside_the_final_phase(login, council_user, final_document):
    response = login(council_user).get(reverse("plan:amendment_file"))
    assert response.status_code == 403 and "approvare il piano" in response.content.decode()


def test_the_plan_goes_to_the_council_only_in_the_final_phase(login, team_user, secretary_user, final_document):
    data = {"document": final_document.pk, **_window(), "conferma": "1"}
    response = login(team_user).post(reverse("plan:examination_open"), data)
    assert response.status_code == 403 and "registrare gli atti del Consiglio" in response.content.decode()
    assert login(secretary_user).get(reverse("plan:deliberation")).status_code == 403
    assert not Examination.objects.exists()


@pytest.mark.parametrize("name", CAST)
def test_an_amendment_page_for_the_readers_with_each_role_s_forms(name, cast, login, examination, council_user):
    amendment = file_amendment(council_user, examination, amendment_data())
    response = login(cast(name)).get(reverse("plan:amendment", args=[amendment.pk]))
    assert response.status_code == status_for(name, READERS)
    if response.status_code == 200:
        html = response.content.decode()
        assert (reverse("plan:amendment_admissibility", args=[amendment.pk]) in html) == (name in RECORDERS)
        assert (reverse("plan:amendment_withdraw", args=[amendment.pk]) in html) == (name == "council_user")
    assert login(cast(name)).get(reverse("plan:amendment", args=[999999])).status_code == (
        302 if name == "anonymous" else (404 if name in READERS else 403)
    )


def test_only_the_author_withdraws_and_after_confirming(login, examination, council_user):
    from psm_portal.accounts.factories import UserFactory

    amendment = file_amendment(council_user, examination, amendment_data())
    other = UserFactory(email="altro.consigliere@test.local", role="council")
    url = reverse("plan:amendment_withdraw", args=[amendment.pk])
    assert login(other).post(url, {"conferma": "1"}).status_code == 404
    client = login(council_user)
    assert "Ritirare l&#x27;emendamento n. 1?" in client.post(url).content.decode()
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.PRESENTED
    client.post(url, {"conferma": "1"})
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.WITHDRAWN


@pytest.mark.parametrize("name", CAST)
def test_only_the_secretary_and_the_team_record_admissibility(name, cast, login, examination, council_user):
    amendment = file_amendment(council_user, examination, amendment_data())
    response = login(cast(name)).post(reverse("plan:amendment_admissibility", args=[amendment.pk]), {"admissible": "1"})
    amendment.refresh_from_db()
    if name in RECORDERS:
        assert response.status_code == 302 and amendment.state == AmendmentState.ADMISSIBLE
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert amendment.state == AmendmentState.PRESENTED


@pytest.mark.parametrize("name", CAST)
def test_a_vote_is_confirmed_then_changes_the_plan(
    name, cast, login, examination, council_user, secretary_user, in_plan
):
    amendment = file_amendment(
        council_user, examination, amendment_data(target="project_amount", project=in_plan.pk, amount=Decimal("5"))
    )
    record_admissibility(secretary_user, amendment, True)
    votes = {"present": 30, "votes_for": 20, "votes_against": 8, "abstained": 2, "outcome": "approved"}
    client = login(cast(name))
    url = reverse("plan:amendment_vote", args=[amendment.pk])
    response = client.post(url, votes)
    if name not in RECORDERS:
        assert response.status_code == (302 if name == "anonymous" else 403)
        return
    html = response.content.decode()
    assert "I dati del piano cambiano subito" in html and "€ 5,00" in html
    in_plan.refresh_from_db()
    assert in_plan.total_cost == Decimal("1000000.00")
    client.post(url, {**votes, "conferma": "1"})
    in_plan.refresh_from_db()
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.APPROVED and in_plan.total_cost == Decimal("5.00")


def test_impossible_votes_are_a_message(login, examination, council_user, secretary_user):
    amendment = file_amendment(council_user, examination, amendment_data())
    record_admissibility(secretary_user, amendment, True)
    url = reverse("plan:amendment_vote", args=[amendment.pk])
    bad = {"present": 3, "votes_for": 20, "votes_against": 0, "abstained": 0, "outcome": "approved", "conferma": "1"}
    response = login(secretary_user).post(url, bad, follow=True)
    assert "non possono superare i presenti" in response.content.decode()
    response = login(secretary_user).post(url, {"present": "x", "outcome": "forse"}, follow=True)
    assert response.status_code == 200
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.ADMISSIBLE


DELIBERATION = {
    "number": "12", "year": "2027", "date": "12/03/2027", "session": "seduta ordinaria del 12/03/2027",
    "present": "30", "votes_for": "20", "votes_against": "8", "abstained": "2", "outcome": "approved",
}  # fmt: skip


@pytest.mark.parametrize("name", CAST)
def test_the_deliberation_page_is_for_the_secretary_and_the_team(name, cast, login, examination):
    response = login(cast(name)).get(reverse("plan:deliberation"))
    assert response.status_code == status_for(name, RECORDERS)


def test_the_deliberation_shows_what_will_be_frozen_then_records_it(login, secretary_user, examination, in_plan):
    client = login(secretary_user)
    response = client.post(reverse("plan:deliberation"), {**DELIBERATION, "pdf": pdf("delibera.pdf")})
    html = response.content.decode()
    assert response.status_code == 200 and "Registrare la Delibera n. 12/2027?" in html
    assert examination.document.sha256 in html and "Ponte sul torrente" in html and "Agenda annuale 2027" in html
    assert not Deliberation.objects.exists()
    response = client.post(reverse("plan:deliberation"), {**DELIBERATION, "conferma": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("plan:council")
    deliberation = Deliberation.objects.get()
    assert deliberation.label == "Delibera n. 12/2027" and deliberation.recorded_by == secretary_user
    assert client.get(reverse("plan:deliberation_pdf", args=[deliberation.pk])).status_code == 200
    html = client.get(reverse("plan:council")).content.decode()
    assert "Delibera n. 12/2027" in html and "20 favorevoli" in html


def test_a_confirmation_without_the_uploaded_pdf_records_nothing(login, secretary_user, examination):
    response = login(secretary_user).post(reverse("plan:deliberation"), {**DELIBERATION, "conferma": "1"}, follow=True)
    assert "Allega di nuovo la delibera firmata" in response.content.decode()
    assert not Deliberation.objects.exists()


@pytest.mark.parametrize("upload", [fake_pdf("delibera.pdf"), None], ids=["fake", "missing"])
def test_the_signed_pdf_is_checked_by_content(login, secretary_user, examination, upload):
    data = {**DELIBERATION, **({"pdf": upload} if upload else {})}
    response = login(secretary_user).post(reverse("plan:deliberation"), data)
    assert response.status_code == 200 and response.context["form"].errors["pdf"]
    assert not Deliberation.objects.exists()


def test_bad_numbers_in_the_deliberation_are_form_errors(login, secretary_user, examination):
    data = {**DELIBERATION, "number": "dodici", "date": "31/02/2027", "present": "-1", "pdf": pdf("d.pdf")}
    response = login(secretary_user).post(reverse("plan:deliberation"), data)
    assert response.status_code == 200 and set(response.context["form"].errors) >= {"number", "date", "present"}


def test_the_admin_only_reads_a_deliberation(login, team_user, approved):
    client = login(team_user)
    url = reverse("admin:plan_deliberation_change", args=[approved.pk])
    response = client.get(url)
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    assert client.post(url, {"votes_for": "1"}).status_code == 403
    delete = reverse("admin:plan_deliberation_delete", args=[approved.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    document = reverse("admin:plan_plandocument_change", args=[approved.document_id])
    assert client.post(document, {"sha256": "0" * 64}).status_code == 403
    assert Deliberation.objects.get(pk=approved.pk).votes_for == approved.votes_for


def test_the_team_can_no_longer_withdraw_the_approved_version(login, team_user, approved):
    response = login(team_user).post(reverse("plan:unpublish", args=[approved.document_id]), follow=True)
    assert "deliberata dal Consiglio metropolitano" in response.content.decode()
    assert approved.document.__class__.objects.get(pk=approved.document_id).is_published


def test_the_dossier_queries_do_not_grow(login, council_user, examination):
    """The same number of queries with 50 projects and 5 actions as with 2,000 projects and 500 actions."""
    office = OfficeFactory(code="grande", name="Ufficio grande")
    file_amendment(council_user, examination, amendment_data())
    client = login(council_user)
    counts = []
    made = {"projects": 0, "actions": 0}
    for projects, actions in ((50, 5), (2000, 500)):
        Project.objects.bulk_create(
            Project(
                title=f"Progetto {n}",
                cup=fake_cup(n + 10_000),
                office=office,
                total_cost=Decimal("1000.00"),
                publication="published",
            )  # fmt: skip
            for n in range(made["projects"], projects)
        )
        AgendaAction.objects.bulk_create(
            AgendaAction(agenda=examination.agenda, position=n + 3, title=f"Azione {n}", responsible_office=office)
            for n in range(made["actions"], actions)
        )
        made = {"projects": projects, "actions": actions}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("plan:council"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15


@pytest.mark.parametrize("name", CAST)
def test_the_signed_deliberation_is_read_by_team_council_and_secretary(name, cast, login, approved):
    response = login(cast(name)).get(reverse("plan:deliberation_pdf", args=[approved.pk]))
    assert response.status_code == status_for(name, READERS)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert login(cast(name)).get(reverse("plan:deliberation_pdf", args=[999999])).status_code == (
        302 if name == "anonymous" else (404 if name in READERS else 403)
    )


@pytest.mark.parametrize("name", CAST)
def test_only_the_secretary_and_the_team_record_the_deliberation(name, cast, login, examination):
    client = login(cast(name))
    first = client.post(reverse("plan:deliberation"), {**DELIBERATION, "pdf": pdf("delibera.pdf")})
    second = client.post(reverse("plan:deliberation"), {**DELIBERATION, "conferma": "1"})
    if name in RECORDERS:
        assert first.status_code == 200 and second.status_code == 302
        assert Deliberation.objects.get().recorded_by == cast(name)
    else:
        assert {first.status_code, second.status_code} == {302 if name == "anonymous" else 403}
        assert not Deliberation.objects.exists()


@pytest.mark.parametrize("name", CAST)
def test_only_its_author_withdraws_an_amendment(name, cast, login, examination, council_user):
    amendment = file_amendment(council_user, examination, amendment_data())
    response = login(cast(name)).post(reverse("plan:amendment_withdraw", args=[amendment.pk]), {"conferma": "1"})
    amendment.refresh_from_db()
    if name == "council_user":
        assert response.status_code == 302 and amendment.state == AmendmentState.WITHDRAWN
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert amendment.state == AmendmentState.PRESENTED
