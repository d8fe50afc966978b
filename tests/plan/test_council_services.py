"""The council's act through its services: who sends the plan, files, decides and records; what an approved
amendment changes (with its number in the audit log); what a deliberation freezes; the e-mails, once each."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from plan.models import (
    Amendment,
    AmendmentState,
    Deliberation,
    Examination,
    ExaminationStatus,
    PlanDocument,
    PlanKind,
)
from plan.services import plan_publish, plan_unpublish
from plan.services.council import (
    Votes,
    Window,
    deliberation_preview,
    file_amendment,
    open_examination,
    record_admissibility,
    record_amendment_vote,
    record_deliberation,
    withdraw_amendment,
)
from plan.services.notices import approval_notify, examination_notify
from projects.models import AgendaStatus
from psm_portal.audit.models import AuditEvent
from tests.conftest import skip_or_fail
from tests.files import fake_pdf, pdf
from tests.plan.conftest import make_document
from tests.plan.council import VOTES, amendment_data, approved_amendment, deliberation_data

pytestmark = pytest.mark.django_db


def test_the_team_sends_the_final_version_and_the_agenda_to_the_council(examination, agenda, team_user):
    agenda.refresh_from_db()
    assert examination.status == ExaminationStatus.OPEN and examination.agenda == agenda
    assert agenda.status == AgendaStatus.SUBMITTED
    event = AuditEvent.objects.get(action="council.examination_open")
    assert event.actor == team_user and event.after["sha256"] == examination.document.sha256


@pytest.mark.parametrize("who", ["council_user", "secretary_user", "mayor_a", "office_a_user"])
def test_only_the_team_sends_the_plan(who, request, final_phase, final_document):
    now = timezone.now()
    with pytest.raises(ValidationError, match="solo il team PSM"):
        open_examination(request.getfixturevalue(who), final_document, None, Window(now, now + timedelta(days=1)))
    assert not Examination.objects.exists()


def test_a_draft_or_an_unready_version_is_not_sent(final_phase, team_user, media):
    now = timezone.now()
    for document in (
        make_document(kind=PlanKind.DRAFT),
        make_document(kind=PlanKind.FINAL, version=2, status="queued"),
    ):
        with pytest.raises(ValidationError, match="solo una versione pronta del piano finale"):
            open_examination(team_user, document, None, Window(now, now + timedelta(days=1)))


def test_one_examination_at_a_time_and_a_window_in_the_future(examination, team_user, final_document):
    now = timezone.now()
    with pytest.raises(ValidationError, match="sta già esaminando"):
        open_examination(team_user, final_document, None, Window(now, now + timedelta(days=1)))
    with pytest.raises(ValidationError, match="chiudersi nel futuro"):
        open_examination(team_user, final_document, None, Window(now - timedelta(days=2), now - timedelta(days=1)))


def test_councillors_file_numbered_amendments(examination, council_user):
    first = file_amendment(council_user, examination, amendment_data())
    second = file_amendment(council_user, examination, amendment_data(section="objectives"))
    assert (first.number, second.number) == (1, 2) and first.state == AmendmentState.PRESENTED
    assert str(first) == "Emendamento n. 1"


@pytest.mark.parametrize("who", ["team_user", "secretary_user", "mayor_a", "office_a_user", "stakeholder_user"])
def test_only_councillors_file_amendments(who, request, examination):
    with pytest.raises(ValidationError, match="solo i consiglieri"):
        file_amendment(request.getfixturevalue(who), examination, amendment_data())


def test_no_amendment_outside_the_window(examination, council_user, final_phase):
    final_phase.shift(timedelta(days=8))
    with pytest.raises(ValidationError, match="finestra per gli emendamenti è chiusa"):
        file_amendment(council_user, examination, amendment_data())
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"target": "nope"}, "Scegli che cosa emenda"),
        ({"section": "nope"}, "Scegli la sezione"),
        ({"motivation": " "}, "motivazione"),
        ({"target": "project_amount", "project": 999999, "amount": Decimal("1")}, "Scegli il progetto"),
        ({"target": "action", "action": 999999, "text": "x"}, "non è nell'agenda"),
    ],
)
def test_bad_or_forged_amendments_are_refused(examination, council_user, changes, message):
    with pytest.raises(ValidationError, match=message):
        file_amendment(council_user, examination, amendment_data(**changes))


def test_an_action_of_another_agenda_is_refused(examination, council_user, office_a):
    from projects.factories import AgendaActionFactory, AgendaFactory

    other = AgendaActionFactory(agenda=AgendaFactory(year=2028), responsible_office=office_a)
    with pytest.raises(ValidationError, match="non è nell'agenda all'esame"):
        file_amendment(council_user, examination, amendment_data(target="action", action=other.pk, text="x"))


def test_adding_a_project_already_in_the_plan_is_refused(examination, council_user, in_plan, out_of_plan):
    with pytest.raises(ValidationError, match="già nel piano"):
        file_amendment(council_user, examination, amendment_data(target="project_add", project=in_plan.pk))
    with pytest.raises(ValidationError, match="non è nel piano"):
        file_amendment(council_user, examination, amendment_data(target="project_remove", project=out_of_plan.pk))


def test_only_the_author_withdraws_within_the_window(examination, council_user, final_phase):
    from psm_portal.accounts.factories import UserFactory

    amendment = file_amendment(council_user, examination, amendment_data())
    with pytest.raises(ValidationError, match="solo chi l'ha presentato"):
        withdraw_amendment(UserFactory(email="altro@test.local"), amendment)
    assert withdraw_amendment(council_user, amendment).state == AmendmentState.WITHDRAWN
    other = file_amendment(council_user, examination, amendment_data())
    final_phase.shift(timedelta(days=8))
    with pytest.raises(ValidationError, match="finestra"):
        withdraw_amendment(council_user, other)


@pytest.mark.parametrize("who", ["council_user", "mayor_a", "office_a_user", "stakeholder_user"])
def test_only_the_secretary_and_the_team_record_outcomes(who, request, examination, council_user):
    amendment = file_amendment(council_user, examination, amendment_data())
    with pytest.raises(ValidationError, match="segreteria del Consiglio e il team PSM"):
        record_admissibility(request.getfixturevalue(who), amendment, True)
    with pytest.raises(ValidationError, match="segreteria del Consiglio e il team PSM"):
        record_amendment_vote(request.getfixturevalue(who), amendment, VOTES, "approved")


def test_an_inadmissible_amendment_needs_a_note_and_is_never_voted(examination, council_user, secretary_user):
    amendment = file_amendment(council_user, examination, amendment_data())
    with pytest.raises(ValidationError, match="perché"):
        record_admissibility(secretary_user, amendment, False)
    record_admissibility(secretary_user, amendment, False, "Estraneo alla materia.")
    with pytest.raises(ValidationError, match="ammissibile"):
        record_amendment_vote(secretary_user, amendment, VOTES, "approved")


@pytest.mark.parametrize(
    "votes", [Votes(0, 0, 0, 0), Votes(10, 8, 3, 0), Votes(10, -1, 0, 0)], ids=["nobody", "too many", "negative"]
)
def test_impossible_votes_are_refused(examination, council_user, secretary_user, votes):
    amendment = file_amendment(council_user, examination, amendment_data())
    record_admissibility(secretary_user, amendment, True)
    with pytest.raises(ValidationError):
        record_amendment_vote(secretary_user, amendment, votes, "approved")
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.ADMISSIBLE and amendment.present is None


def test_an_approved_amount_changes_the_project_with_the_amendment_in_the_log(
    examination, council_user, secretary_user, in_plan
):
    approved_amendment(
        examination, council_user, secretary_user, target="project_amount", project=in_plan.pk,
        amount=Decimal("750000.00"),
    )  # fmt: skip
    in_plan.refresh_from_db()
    assert in_plan.total_cost == Decimal("750000.00")
    event = AuditEvent.objects.for_object(in_plan).get(action="project.amend")
    assert event.after["reason"] == "Emendamento n. 1" and event.before["total_cost"] == "1000000.00"
    assert in_plan.changes.filter(actor=secretary_user).exists()


def test_an_approved_year_moves_the_project_dates(examination, council_user, team_user, in_plan):
    approved_amendment(examination, council_user, team_user, target="project_year", project=in_plan.pk, year=2029)
    in_plan.refresh_from_db()
    assert (in_plan.planned_start, in_plan.planned_end) == (date(2029, 3, 1), date(2030, 2, 28))


def test_approved_additions_and_removals_publish_and_withdraw(
    examination, council_user, secretary_user, in_plan, out_of_plan
):
    approved_amendment(examination, council_user, secretary_user, target="project_add", project=out_of_plan.pk)
    approved_amendment(examination, council_user, secretary_user, target="project_remove", project=in_plan.pk)
    in_plan.refresh_from_db()
    out_of_plan.refresh_from_db()
    assert out_of_plan.publication == "published" and in_plan.publication == "draft"
    reasons = set(AuditEvent.objects.filter(action="project.amend").values_list("after__reason", flat=True))
    assert reasons == {"Emendamento n. 1", "Emendamento n. 2"}


def test_an_approved_action_amendment_goes_through_the_agenda_service(examination, council_user, secretary_user):
    action = examination.agenda.actions.get(position=2)
    approved_amendment(
        examination, council_user, secretary_user, target="action", action=action.pk, text="Gara unica.",
        amount=Decimal("50000.00"),
    )  # fmt: skip
    action.refresh_from_db()
    assert action.description == "Gara unica." and action.budget == Decimal("50000.00")
    event = AuditEvent.objects.for_object(action).get(action="agenda.action_amend")
    assert event.after["reason"] == "Emendamento n. 1" and event.actor == secretary_user


def test_an_approved_text_becomes_an_addendum_of_its_section(examination, council_user, secretary_user):
    approved_amendment(examination, council_user, secretary_user, section="vision", text="Lo Stretto unisce.")
    rejected = file_amendment(council_user, examination, amendment_data(section="vision", text="No"))
    record_admissibility(secretary_user, rejected, True)
    record_amendment_vote(secretary_user, rejected, VOTES, "rejected")
    addenda = examination.amendments.addenda()
    assert [a.text for a in addenda["vision"]] == ["Lo Stretto unisce."]
    assert AuditEvent.objects.get(action="plan.section_amend").after["reason"] == "Emendamento n. 1"


def test_the_preview_lists_what_stops_the_deliberation(examination, council_user, in_plan):
    file_amendment(council_user, examination, amendment_data())
    preview = deliberation_preview(examination)
    assert preview["sha256"] == examination.document.sha256 and preview["actions"] == 2
    assert preview["projects"] == [
        {"id": in_plan.pk, "cup": in_plan.cup, "title": "Ponte sul torrente", "amount": "1000000.00", "year": 2027}
    ]
    assert preview["blockers"] == ["Emendamenti ancora da decidere: n. 1."]


def test_no_deliberation_while_amendments_wait(examination, council_user, secretary_user):
    file_amendment(council_user, examination, amendment_data())
    with pytest.raises(ValidationError, match="ancora da decidere"):
        record_deliberation(secretary_user, examination, deliberation_data(), pdf("d.pdf"))
    assert not Deliberation.objects.exists()


def test_the_deliberation_freezes_the_version_the_projects_and_the_agenda(approved, examination, in_plan):
    document = examination.document
    document.refresh_from_db()
    assert approved.label == "Delibera n. 12/2027" and approved.document_sha256 == document.sha256
    assert document.is_published and document.approval == approved
    assert [p["id"] for p in approved.projects] == [in_plan.pk]
    examination.agenda.refresh_from_db()
    assert examination.agenda.status == AgendaStatus.APPROVED
    assert examination.agenda.approved_by_act == "Delibera n. 12/2027"
    assert examination.status == ExaminationStatus.APPROVED
    assert list(Deliberation.objects.approving()) == [approved]
    assert AuditEvent.objects.get(action="council.deliberation_record").after["sha256"] == document.sha256


def test_the_signed_pdf_is_checked_by_its_content(examination, secretary_user):
    for upload in (fake_pdf("delibera.pdf"), None):
        with pytest.raises(ValidationError):
            record_deliberation(secretary_user, examination, deliberation_data(), upload)
    assert not Deliberation.objects.exists()


@pytest.mark.parametrize("who", ["council_user", "mayor_a", "office_a_user"])
def test_only_the_secretary_and_the_team_record_the_deliberation(who, request, examination):
    with pytest.raises(ValidationError, match="segreteria"):
        record_deliberation(request.getfixturevalue(who), examination, deliberation_data(), pdf("d.pdf"))


def test_services_refuse_to_change_what_was_approved(approved, examination, team_user, council_user):
    document = examination.document
    with pytest.raises(ValidationError, match="concluso"):
        record_deliberation(team_user, examination, deliberation_data(number=13), pdf("d.pdf"))
    with pytest.raises(ValidationError, match="deliberata dal Consiglio"):
        plan_unpublish(document=document, user=team_user)
    with pytest.raises(ValidationError, match="concluso|finestra"):
        file_amendment(council_user, examination, amendment_data())
    document.refresh_from_db()
    assert document.is_published


def test_a_correction_is_a_new_linked_act(approved, examination, secretary_user):
    correction = record_deliberation(
        secretary_user, examination, deliberation_data(number=14, corrects=approved.pk), pdf("d.pdf")
    )
    assert correction.corrects == approved and list(Deliberation.objects.approving()) == [correction]
    assert correction.projects == approved.projects and correction.agenda == approved.agenda


def test_the_team_never_publishes_the_final_plan_by_itself(final_document, team_user):
    with pytest.raises(ValidationError, match="solo con la delibera del Consiglio"):
        plan_publish(document=final_document, user=team_user)
    final_document.refresh_from_db()
    assert not final_document.is_published


def test_everybody_is_told_once_when_the_plan_goes_to_the_council_and_when_it_is_approved(
    final_phase, team_user, final_document, mayor_a, office_a_user, council_user, secretary_user, stakeholder_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        examination = open_examination(team_user, final_document, None, Window(now, now + timedelta(days=3)))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (mayor_a, office_a_user, council_user, secretary_user)
    )
    assert "all'esame del Consiglio" in mail.outbox[0].subject
    assert examination_notify(examination_id=examination.pk) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_deliberation(secretary_user, examination, deliberation_data(), pdf("d.pdf"))
    assert len(mail.outbox) == 4 and "Delibera n. 12/2027" in mail.outbox[0].subject
    assert "ab" * 32 in mail.outbox[0].body
    assert approval_notify(examination_id=examination.pk) == 0 and len(mail.outbox) == 4


def test_a_rejection_closes_the_examination_and_tells_nobody(
    examination, secretary_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_deliberation(secretary_user, examination, deliberation_data(outcome="rejected"), pdf("d.pdf"))
    examination.refresh_from_db()
    assert examination.status == ExaminationStatus.CLOSED and mail.outbox == []
    assert not Deliberation.objects.approving().exists()
    examination.agenda.refresh_from_db()
    assert examination.agenda.status == AgendaStatus.SUBMITTED


# --- The database refuses too (PostgreSQL) ----------------------------------------------------------------------

REFUSED = (IntegrityError, InternalError)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("i trigger che fissano la delibera: serve PostgreSQL")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE plan_deliberation SET votes_for = votes_for + 1 WHERE id = %s",
        "DELETE FROM plan_deliberation WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_a_deliberation(postgresql, approved, sql):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [approved.pk])
    assert Deliberation.objects.get(pk=approved.pk).votes_for == approved.votes_for


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE plan_plandocument SET sha256 = repeat('0', 64) WHERE id = %s",
        "UPDATE plan_plandocument SET published_at = NULL WHERE id = %s",
        "UPDATE plan_plandocument SET status = 'queued', file = '' WHERE id = %s",
        "DELETE FROM plan_plandocument WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_the_approved_document(postgresql, approved, sql):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [approved.document_id])
    document = PlanDocument.objects.get(pk=approved.document_id)
    assert document.sha256 == approved.document_sha256 and document.is_published and document.is_ready


def test_raw_sql_still_changes_a_document_no_deliberation_refers_to(postgresql, approved, media):
    other = make_document(kind=PlanKind.FINAL, version=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plan_plandocument SET pages = 7 WHERE id = %s", [other.pk])
    assert PlanDocument.objects.get(pk=other.pk).pages == 7


def test_no_render_goes_over_the_approved_version(approved, examination):
    from plan.services import plan_render

    document = PlanDocument.objects.get(pk=approved.document_id)
    assert plan_render(document_id=document.pk).sha256 == approved.document_sha256
    document.refresh_from_db()
    assert document.sha256 == approved.document_sha256 and document.is_ready and document.is_published
