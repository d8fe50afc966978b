"""Every page and action of the working tables for the whole cast; forged ids; unpublished minutes stay private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tables.models import Answer, Attendance, Contribution, Invitation, MinutesState, Outcome, Session
from tables.services import contribution_submit, minutes_publish, minutes_save
from tests.conftest import CAST
from tests.tables.conftest import LOGIN, expected

MEMBERS = {"mayor_a", "office_a_user", "stakeholder_user"}
MANAGERS = {"team_user", "office_a_user"}  # the team and the coordinating office


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_public_pages_open_to_everybody(name, cast, login, session, past_session, table):
    client = login(cast(name))
    for url in (
        reverse("tables:index"),
        reverse("tables:table", args=[table.pk]),
        reverse("tables:session", args=[session.pk]),
        reverse("tables:session", args=[past_session.pk]),
        reverse("tables:table_calendar", args=[table.pk]),
        reverse("tables:opendata_csv"),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_reserved_home(name, cast, login, table):
    allowed = {
        n: 200 for n in ("team_user", "office_a_user", "office_b_user", "mayor_a", "mayor_b", "stakeholder_user")
    }
    response = login(cast(name)).get(reverse("tables:home"))
    assert response.status_code == expected(allowed, name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_only_the_team_creates_tables_and_sessions(name, cast, login, agenda_phase, table):
    client = login(cast(name))
    for url in (
        reverse("tables:table_create"),
        reverse("tables:table_update", args=[table.pk]),
        reverse("tables:session_create", args=[table.pk]),
    ):
        assert client.get(url).status_code == expected({"team_user": 200}, name), url


@pytest.mark.django_db
def test_team_creates_a_table_and_a_session(login, agenda_phase, team_user, office_a, messina, mayor_a, commits):
    from django.core import mail

    client = login(team_user)
    response = client.post(
        reverse("tables:table_create"),
        {
            "title": "Turismo",
            "theme": "Isole e borghi",
            "phase": "agenda",
            "coordinator_office": office_a.pk,
            "municipalities": [messina.pk],
            "organisations": "Confcommercio\nANCE",
        },
    )
    assert response.status_code == 302
    from tables.models import WorkingTable

    table = WorkingTable.objects.get(title="Turismo")
    assert sorted(m.label for m in table.members.all()) == ["ANCE", "Comune di Messina", "Confcommercio"]
    with commits():
        response = client.post(
            reverse("tables:session_create", args=[table.pk]),
            {
                "title": "Avvio",
                "starts_at": "2030-01-10T10:00",
                "duration_minutes": 60,
                "place": "Messina",
                "agenda": "Saluti\nProposte",
            },
        )
    assert response.status_code == 302
    session = table.sessions.get()
    assert [i.title for i in session.agenda_items.all()] == ["Saluti", "Proposte"]
    assert [m.to for m in mail.outbox] == [[mayor_a.email]]


@pytest.mark.django_db
def test_bad_session_input_is_refused_in_italian(login, agenda_phase, team_user, table):
    response = login(team_user).post(
        reverse("tables:session_create", args=[table.pk]),
        {"title": "X", "starts_at": "domani", "duration_minutes": 0},
    )
    assert response.status_code == 200
    assert not Session.objects.exists()
    assert "Indicate il luogo" in response.content.decode() or "data" in response.content.decode().lower()


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_only_members_answer_invitations(name, cast, login, agenda_phase, session):
    response = login(cast(name)).post(reverse("tables:answer", args=[session.pk]), {"answer": "attend"})
    allowed = {n: 302 for n in MEMBERS}
    assert response.status_code == expected(allowed, name)
    answered = Invitation.objects.filter(session=session, answer=Answer.ATTEND).count()
    assert answered == (1 if name in MEMBERS else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_only_members_send_contributions(name, cast, login, agenda_phase, table):
    response = login(cast(name)).post(reverse("tables:contribute", args=[table.pk]), {"text": "Serve un porto."})
    assert response.status_code == expected({n: 302 for n in MEMBERS}, name)
    assert Contribution.objects.count() == (1 if name in MEMBERS else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_only_coordinator_and_team_record_attendance_minutes_and_outcomes(
    name, cast, login, past_session, table, messina
):
    client = login(cast(name))
    member = table.members.get(municipality=messina)
    ok = {n: 302 for n in MANAGERS}
    assert client.post(reverse("tables:attendance", args=[past_session.pk]), {f"m{member.pk}": 3}).status_code == (
        expected(ok, name)
    )
    assert Attendance.objects.count() == (1 if name in MANAGERS else 0)
    response = client.post(reverse("tables:minutes", args=[past_session.pk]), {"html": "<p>Verbale</p>"})
    assert response.status_code == expected(ok, name)
    past_session.refresh_from_db()
    assert past_session.minutes_state == (MinutesState.DRAFT if name in MANAGERS else MinutesState.NONE)
    response = client.post(reverse("tables:outcome", args=[table.pk]), {"title": "Nuovo obiettivo"})
    assert response.status_code == expected(ok, name)
    assert Outcome.objects.count() == (1 if name in MANAGERS else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_draft_minutes_are_invisible_except_to_the_managers(name, cast, login, past_session, office_a_user):
    minutes_save(user=office_a_user, session=past_session, html="<p>Segreto <script>x()</script>bozza</p>")
    past_session.refresh_from_db()
    assert "<script>" not in past_session.minutes_html
    page = login(cast(name)).get(reverse("tables:session", args=[past_session.pk])).content.decode()
    assert ("Segreto" in page) == (name in MANAGERS)
    minutes_publish(user=office_a_user, session=past_session)
    page = login(cast(name)).get(reverse("tables:session", args=[past_session.pk])).content.decode()
    assert "Segreto" in page


@pytest.mark.django_db
def test_publishing_minutes_asks_for_confirmation(login, past_session, office_a_user):
    minutes_save(user=office_a_user, session=past_session, html="<p>Testo</p>")
    client = login(office_a_user)
    response = client.post(reverse("tables:publish", args=[past_session.pk]))
    assert response.status_code == 200 and "conferma" in response.content.decode()
    past_session.refresh_from_db()
    assert past_session.minutes_state == MinutesState.DRAFT
    assert client.post(reverse("tables:publish", args=[past_session.pk]), {"conferma": "1"}).status_code == 302
    past_session.refresh_from_db()
    assert past_session.minutes_state == MinutesState.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_contributions_are_read_by_their_member_and_the_managers(name, cast, login, table, mayor_a):
    contribution_submit(user=mayor_a, table=table, text="Il porto di Milazzo")
    page = login(cast(name)).get(reverse("tables:table", args=[table.pk])).content.decode()
    assert ("Il porto di Milazzo" in page) == (name in {"mayor_a", "team_user", "office_a_user"})


@pytest.mark.django_db
def test_forged_ids_are_404(login, team_user, agenda_phase, mayor_a):
    client = login(team_user)
    for url in (
        reverse("tables:table", args=[999999]),
        reverse("tables:session", args=[999999]),
        reverse("tables:document", args=[999999]),
        reverse("tables:table_calendar", args=[999999]),
        reverse("tables:personal_calendar", args=["nope"]),
        reverse("tables:table_update", args=[999999]),
        reverse("tables:session_create", args=[999999]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("tables:session_cancel", args=[999999])).status_code == 404
    assert login(mayor_a).post(reverse("tables:answer", args=[999999]), {"answer": "attend"}).status_code == 404
    assert client.post(reverse("tables:reply", args=[999999]), {"reply": "x"}).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, session):
    assert client.post(reverse("tables:answer", args=[session.pk])).status_code == LOGIN


@pytest.mark.django_db
@pytest.mark.parametrize("name", CAST)
def test_minutes_attachments_stay_private_until_publication(name, cast, login, past_session, office_a_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tables.models import SessionDocument

    pdf = SimpleUploadedFile("verbale firmato.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    minutes_save(user=office_a_user, session=past_session, html="<p>Testo</p>", attachments=[pdf])
    document = SessionDocument.objects.get()
    client = login(cast(name))
    response = client.get(reverse("tables:document", args=[document.pk]))
    assert response.status_code == (200 if name in MANAGERS else 404)
    minutes_publish(user=office_a_user, session=past_session)
    response = client.get(reverse("tables:document", args=[document.pk]))
    assert response.status_code == 200
    assert "verbale firmato.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_comune_objective_and_project_pages_show_the_tables(
    client, past_session, table, office_a_user, messina, mayor_a
):
    from phases.factories import ObjectiveFactory
    from projects.factories import ProjectFactory, ProposalFactory
    from tables.services import attendance_record, outcome_create

    member = table.members.get(municipality=messina)
    attendance_record(user=office_a_user, session=past_session, people={member.pk: 2})
    page = client.get(reverse("municipalities:detail", args=[messina.istat_code])).content.decode()
    assert table.title in page and "1 seduta seguita" in page
    axis = ObjectiveFactory(code="Z", order=9)
    general = ObjectiveFactory(code="Z1", parent=axis)
    specific = ObjectiveFactory(code="Z1.1", parent=general, title="Porti minori")
    project = ProjectFactory(office=table.coordinator_office, title="Molo di Lipari")
    proposal = ProposalFactory(proposer=mayor_a, project=project, state="accepted")
    outcome_create(user=office_a_user, table=table, title="Più approdi", objective=specific, proposal=proposal)
    for url in (specific.get_absolute_url(), project.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Emerso dai tavoli di lavoro" in page and "Più approdi" in page and table.title in page, url
    # The proposal's page is the proposer's and the team's.
    client.force_login(mayor_a, backend="psm_portal.accounts.backends.RoleBackend")
    page = client.get(reverse("projects:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Emerso dai tavoli di lavoro" in page and "Più approdi" in page
    client.logout()
    csv = client.get(reverse("tables:opendata_csv")).content.decode()
    assert "Comune di Messina (2)" in csv and "Più approdi" in csv and "Z1.1" in csv
    assert mayor_a.email not in csv and mayor_a.full_name not in csv
