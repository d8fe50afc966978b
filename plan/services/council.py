"""Writes of the council's act on the final plan: the team sends a final version to the council, councillors file
amendments in the window, the council's secretary (or the team) records admissibility, votes and the deliberation
that freezes the approved version, its projects and its agenda.

Every service checks who acts, the examination's state and the amendments' window, writes the audit log in its
transaction and raises ``ValidationError`` with an Italian message. The phase is the views' gate
(``@phase_required(Feature.APPROVE_PLAN)`` and ``Feature.RECORD_COUNCIL_ACTS``), as for the agenda's services: the
demo records the council's acts through these services while the demo process is still listening.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.phases import FEATURE_ROLES, Feature
from plan.models import (
    Amendment,
    AmendmentState,
    AmendmentTarget,
    Deliberation,
    DeliberationOutcome,
    DraftSection,
    Examination,
    ExaminationStatus,
    PlanDocument,
    PlanKind,
    PlanStatus,
)
from plan.models.council import PROJECT_TARGETS
from plan.services.amendments import apply_amendment
from projects.models import Agenda, AgendaAction, AgendaStatus, Project
from projects.services.agenda import approve_agenda, submit_agenda
from psm_portal.accounts.permissions import is_team
from psm_portal.audit.services import audit_record
from psm_portal.lib.uploads import PDF, validate_document
from subscriptions.models import UpdateKind
from subscriptions.services import record_update

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """When councillors may file amendments."""

    opens: datetime
    closes: datetime


@dataclass(frozen=True)
class Votes:
    present: int
    votes_for: int
    votes_against: int
    abstained: int

    def check(self) -> None:
        values = (self.present, self.votes_for, self.votes_against, self.abstained)
        if any(value is None or value < 0 for value in values):
            raise ValidationError(_("Indica presenti, favorevoli, contrari e astenuti (numeri non negativi)."))
        if self.present == 0:
            raise ValidationError(_("Senza presenti non c'è votazione."))
        if self.votes_for + self.votes_against + self.abstained > self.present:
            raise ValidationError(_("Favorevoli, contrari e astenuti insieme non possono superare i presenti."))

    def as_fields(self) -> dict:
        return {
            "present": self.present,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "abstained": self.abstained,
        }


# --- Who acts, and when --------------------------------------------------------------------------------------


def may_record(user) -> bool:
    """The council's secretary and the team record the council's acts (``Feature.RECORD_COUNCIL_ACTS``)."""
    return is_team(user) or getattr(user, "role", None) in FEATURE_ROLES[Feature.RECORD_COUNCIL_ACTS]


def may_amend(user) -> bool:
    """Councillors file amendments (``Feature.APPROVE_PLAN``)."""
    return getattr(user, "is_active", False) and getattr(user, "role", None) in FEATURE_ROLES[Feature.APPROVE_PLAN]


def _require_recorder(user) -> None:
    if not may_record(user):
        raise ValidationError(_("Gli atti del Consiglio li registrano la segreteria del Consiglio e il team PSM."))


def _require_open(examination: Examination) -> None:
    if not examination.is_open:
        raise ValidationError(_("L'esame di questa versione del piano è concluso: non si registra più nulla."))


def _lock(examination: Examination) -> Examination:
    return Examination.objects.select_for_update().get(pk=examination.pk)


# --- The team sends the final version to the council ----------------------------------------------------------


def final_versions_to_examine() -> list[PlanDocument]:
    """The final versions the team may send to the council: ready, newest first."""
    return list(
        PlanDocument.objects.for_listing()
        .of_kind(PlanKind.FINAL)
        .filter(status=PlanStatus.READY)
        .order_by("-version")[:20]
    )


def open_examination(user, document: PlanDocument, agenda: Agenda | None = None, window: Window | None = None):
    """Send a final version (and the year's agenda, submitted on the way if still a draft) to the council and open
    the window for amendments; mayors, offices and council are told by e-mail after the commit."""
    if not is_team(user):
        raise ValidationError(_("Trasmette il piano al Consiglio solo il team PSM."))
    if document.kind != PlanKind.FINAL or document.status != PlanStatus.READY:
        raise ValidationError(_("Si trasmette al Consiglio solo una versione pronta del piano finale."))
    if window is None or window.closes <= window.opens:
        raise ValidationError(_("La finestra per gli emendamenti deve chiudersi dopo che si è aperta."))
    if window.closes <= timezone.now():
        raise ValidationError(_("La finestra per gli emendamenti deve chiudersi nel futuro."))
    with transaction.atomic():
        if Examination.objects.open().select_for_update().exists():
            raise ValidationError(_("Il Consiglio sta già esaminando una versione del piano."))
        if agenda is not None:
            agenda = Agenda.objects.select_for_update().get(pk=agenda.pk)
            if agenda.status == AgendaStatus.DRAFT:
                agenda = submit_agenda(user, agenda)
            elif agenda.status != AgendaStatus.SUBMITTED:
                raise ValidationError(
                    _("Si trasmette al Consiglio un'agenda in bozza o già sottoposta: l'%(agenda)s è «%(status)s».")
                    % {"agenda": str(agenda), "status": agenda.get_status_display()}
                )
        try:
            with transaction.atomic():
                examination = Examination.objects.create(
                    document=document,
                    agenda=agenda,
                    opened_by=user,
                    opened_at=timezone.now(),
                    amendments_open_from=window.opens,
                    amendments_close_at=window.closes,
                )
        except IntegrityError as exc:
            raise ValidationError(_("Il Consiglio sta già esaminando una versione del piano.")) from exc
        audit_record(
            actor=user,
            action="council.examination_open",
            obj=examination,
            after={
                "document": document.pk,
                "version": document.version,
                "sha256": document.sha256,
                "agenda": agenda.pk if agenda else None,
                "amendments_open_from": window.opens.isoformat(),
                "amendments_close_at": window.closes.isoformat(),
            },
        )
        _enqueue("notify_examination_opened", examination.pk)
    return examination


# --- Amendments ----------------------------------------------------------------------------------------------


def _require_window(examination: Examination) -> None:
    if not examination.window_open():
        raise ValidationError(_("La finestra per gli emendamenti è chiusa."))


def _clean_amendment(examination: Examination, data: dict) -> dict:
    """The amendment's fields for its target, checked: unknown targets, sections, projects and actions refused."""
    target = data.get("target")
    if target not in AmendmentTarget.values:
        raise ValidationError(_("Scegli che cosa emenda l'emendamento."))
    motivation = (data.get("motivation") or "").strip()
    if not motivation:
        raise ValidationError(_("Scrivi la motivazione dell'emendamento."))
    text = (data.get("text") or "").strip()
    fields = {"target": target, "motivation": motivation, "text": text}
    if target == AmendmentTarget.SECTION:
        if data.get("section") not in DraftSection.values:
            raise ValidationError(_("Scegli la sezione del piano che l'emendamento modifica."))
        if not text:
            raise ValidationError(_("Scrivi il testo proposto per la sezione."))
        fields["section"] = data["section"]
    elif target in PROJECT_TARGETS:
        fields["project"] = _project_for(target, data)
        if target == AmendmentTarget.PROJECT_AMOUNT:
            amount = data.get("amount")
            if amount is None or amount < 0:
                raise ValidationError(_("Indica il nuovo importo del progetto (non negativo)."))
            fields["amount"] = amount
        if target == AmendmentTarget.PROJECT_YEAR:
            year = data.get("year")
            if year is None or not 2000 <= year <= 2100:
                raise ValidationError(_("Indica il nuovo anno del progetto."))
            fields["year"] = year
    elif target == AmendmentTarget.ACTION:
        action = data.get("action")
        action_id = getattr(action, "pk", action)
        if examination.agenda_id is None or action_id is None:
            raise ValidationError(_("Il Consiglio non sta esaminando un'agenda: non ci sono azioni da emendare."))
        found = AgendaAction.objects.filter(pk=action_id, agenda_id=examination.agenda_id).first()
        if found is None:
            raise ValidationError(_("L'azione scelta non è nell'agenda all'esame del Consiglio."))
        amount = data.get("amount")
        if not text and amount is None:
            raise ValidationError(_("Indica la nuova descrizione o il nuovo budget dell'azione."))
        if amount is not None and amount < 0:
            raise ValidationError(_("Il budget dell'azione non può essere negativo."))
        fields.update(action=found, amount=amount)
    return fields


def _project_for(target: str, data: dict) -> Project:
    project = data.get("project")
    project_id = getattr(project, "pk", project)
    found = Project.objects.filter(pk=project_id).first() if project_id is not None else None
    if found is None:
        raise ValidationError(_("Scegli il progetto a cui si riferisce l'emendamento."))
    in_plan = found.publication == "published"
    if target == AmendmentTarget.PROJECT_ADD and in_plan:
        raise ValidationError(_("Il progetto è già nel piano."))
    if target != AmendmentTarget.PROJECT_ADD and not in_plan:
        raise ValidationError(_("Il progetto non è nel piano."))
    return found


def file_amendment(user, examination: Examination, data: dict) -> Amendment:
    """A councillor files an amendment within the window; it gets the next number of the examination."""
    if not may_amend(user):
        raise ValidationError(_("Presentano emendamenti solo i consiglieri metropolitani."))
    fields = _clean_amendment(examination, data)
    with transaction.atomic():
        examination = _lock(examination)
        _require_open(examination)
        _require_window(examination)
        number = (examination.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
        amendment = Amendment.objects.create(examination=examination, number=number, author=user, **fields)
        audit_record(
            actor=user,
            action="council.amendment_file",
            obj=amendment,
            after={"number": number, "target": amendment.target, "motivation": amendment.motivation},
        )
    return amendment


def withdraw_amendment(user, amendment: Amendment) -> Amendment:
    """Its author withdraws an amendment not yet decided, within the window."""
    with transaction.atomic():
        amendment = Amendment.objects.select_for_update(of=("self",)).select_related("examination").get(pk=amendment.pk)
        if amendment.author_id != getattr(user, "pk", None):
            raise ValidationError(_("Ritira un emendamento solo chi l'ha presentato."))
        if not amendment.is_pending:
            raise ValidationError(_("L'emendamento è già stato deciso: non si ritira più."))
        _require_open(amendment.examination)
        _require_window(amendment.examination)
        before = amendment.state
        amendment.state = AmendmentState.WITHDRAWN
        amendment.decided_at = timezone.now()
        amendment.save(update_fields=["state", "decided_at"])
        audit_record(
            actor=user, action="council.amendment_withdraw", obj=amendment, before={"state": before},
            after={"state": amendment.state},
        )  # fmt: skip
    return amendment


def record_admissibility(user, amendment: Amendment, admissible: bool, note: str = "") -> Amendment:
    """The secretary (or the team) records whether a presented amendment is admissible, with a note."""
    _require_recorder(user)
    with transaction.atomic():
        amendment = Amendment.objects.select_for_update(of=("self",)).select_related("examination").get(pk=amendment.pk)
        _require_open(amendment.examination)
        if amendment.state != AmendmentState.PRESENTED:
            raise ValidationError(_("L'ammissibilità si registra solo per un emendamento appena presentato."))
        note = (note or "").strip()
        if not admissible and not note:
            raise ValidationError(_("Scrivi perché l'emendamento è inammissibile."))
        amendment.state = AmendmentState.ADMISSIBLE if admissible else AmendmentState.INADMISSIBLE
        amendment.note = note
        amendment.decided_by = user
        amendment.decided_at = timezone.now() if not admissible else None
        amendment.save(update_fields=["state", "note", "decided_by", "decided_at"])
        audit_record(
            actor=user, action="council.amendment_admissibility", obj=amendment,
            before={"state": AmendmentState.PRESENTED}, after={"state": amendment.state, "note": note},
        )  # fmt: skip
    return amendment


def record_amendment_vote(user, amendment: Amendment, votes: Votes, outcome: str) -> Amendment:
    """The secretary (or the team) records the council's vote on an admissible amendment; an approved one changes
    the plan's data at once, through the portal's own services, with «Emendamento n. N» in the audit log."""
    _require_recorder(user)
    if outcome not in (AmendmentState.APPROVED, AmendmentState.REJECTED):
        raise ValidationError(_("L'esito del voto è «approvato» o «respinto»."))
    votes.check()
    with transaction.atomic():
        amendment = (
            Amendment.objects.select_for_update(of=("self",))
            .select_related("examination", "project", "action__agenda")
            .get(pk=amendment.pk)
        )
        _require_open(amendment.examination)
        if amendment.state != AmendmentState.ADMISSIBLE:
            raise ValidationError(_("Si vota solo un emendamento dichiarato ammissibile."))
        for name, value in votes.as_fields().items():
            setattr(amendment, name, value)
        amendment.state = outcome
        amendment.decided_by = user
        amendment.decided_at = timezone.now()
        amendment.save(update_fields=["state", "decided_by", "decided_at", *votes.as_fields()])
        audit_record(
            actor=user, action="council.amendment_vote", obj=amendment, before={"state": AmendmentState.ADMISSIBLE},
            after={"state": outcome, **votes.as_fields()},
        )  # fmt: skip
        if outcome == AmendmentState.APPROVED:
            apply_amendment(amendment, actor=user)
    return amendment


# --- The deliberation ----------------------------------------------------------------------------------------


def approved_projects() -> list[dict]:
    """The projects of the plan as the deliberation freezes them: id, CUP, title, amount, year (two fields each)."""
    rows = (
        Project.objects.published()
        .order_by("title", "pk")
        .values_list("pk", "cup", "title", "total_cost", "planned_start")
    )
    return [
        {
            "id": pk,
            "cup": cup,
            "title": title,
            "amount": f"{amount:.2f}" if amount is not None else None,
            "year": start.year if start else None,
        }
        for pk, cup, title, amount, start in rows
    ]


def deliberation_preview(examination: Examination) -> dict:
    """What a deliberation on ``examination`` would freeze (document, projects, agenda) and what still stops it."""
    document = examination.document
    agenda = examination.agenda
    pending = list(examination.amendments.pending().order_by("number").values_list("number", flat=True))
    projects = approved_projects()
    blockers = []
    if not examination.is_open:
        blockers.append(_("L'esame di questa versione è concluso."))
    if pending:
        blockers.append(
            _("Emendamenti ancora da decidere: %(numbers)s.") % {"numbers": ", ".join(f"n. {n}" for n in pending)}
        )
    if agenda is not None and agenda.status != AgendaStatus.SUBMITTED:
        blockers.append(_("L'agenda all'esame non è più quella sottoposta al Consiglio."))
    return {
        "document": document,
        "sha256": document.sha256,
        "projects": projects,
        "total": sum((Decimal(p["amount"]) for p in projects if p["amount"] is not None), Decimal("0")),
        "agenda": agenda,
        "actions": agenda.actions.count() if agenda is not None else 0,
        "pending": pending,
        "blockers": blockers,
    }


def _check_pdf(pdf) -> tuple[bytes, str]:
    if pdf is None:
        raise ValidationError(_("Allega la delibera firmata in PDF."))
    if validate_document(pdf) != PDF:
        raise ValidationError(_("La delibera firmata deve essere un PDF."))
    pdf.seek(0)
    content = pdf.read()
    return content, hashlib.sha256(content).hexdigest()


def record_deliberation(user, examination: Examination, data: dict, pdf) -> Deliberation:
    """Record the council's deliberation with its signed PDF. An approving one publishes and freezes the examined
    version (by its SHA-256), the list of projects and the agenda (approved through ``approve_agenda``); the
    examination ends either way and everybody is told after the commit."""
    _require_recorder(user)
    content, pdf_sha256 = _check_pdf(pdf)
    votes = Votes(
        present=data.get("present"),
        votes_for=data.get("votes_for"),
        votes_against=data.get("votes_against"),
        abstained=data.get("abstained"),
    )
    votes.check()
    outcome = data.get("outcome")
    if outcome not in DeliberationOutcome.values:
        raise ValidationError(_("L'esito della delibera è «approvato» o «respinto»."))
    number, year, when = data.get("number"), data.get("year"), data.get("date")
    session = (data.get("session") or "").strip()
    if not number or not year or when is None or not session:
        raise ValidationError(_("Indica numero, anno, data e seduta della delibera."))
    with transaction.atomic():
        examination = _lock(examination)
        corrects = _corrected(data.get("corrects"), examination)
        if corrects is None:
            _require_open(examination)
        preview = deliberation_preview(examination) if corrects is None else None
        if preview and preview["blockers"]:
            raise ValidationError(preview["blockers"])
        if Deliberation.objects.filter(number=number, year=year).exists():
            raise ValidationError(_("C'è già una delibera n. %(number)s/%(year)s.") % {"number": number, "year": year})
        document = PlanDocument.objects.select_for_update().get(pk=examination.document_id)
        approving = outcome == DeliberationOutcome.APPROVED
        if approving and document.published_at is None:
            # Published before the act refers to it: from then on the database refuses any change to the row.
            document.published_at = timezone.now()
            document.published_by = user
            document.save(update_fields=["published_at", "published_by"])
            record_update(
                kind=UpdateKind.DOCUMENT,
                title=_("Pubblicato il documento «%(document)s»") % {"document": document},
                url=reverse("plan:list"),
                news=True,
            )
        deliberation = Deliberation(
            number=number,
            year=year,
            date=when,
            session=session,
            outcome=outcome,
            examination=examination,
            document=document,
            document_sha256=document.sha256,
            projects=corrects.projects if corrects else (approved_projects() if approving else []),
            agenda=(corrects.agenda if corrects else examination.agenda) if approving else None,
            corrects=corrects,
            recorded_by=user,
            recorded_at=timezone.now(),
            pdf_sha256=pdf_sha256,
            **votes.as_fields(),
        )
        deliberation.pdf.save(f"delibera-{number}-{year}.pdf", ContentFile(content), save=False)
        deliberation.full_clean(exclude=["pdf"])
        deliberation.save()
        if corrects is None:
            if approving and examination.agenda_id:
                approve_agenda(examination.agenda, act=deliberation.label)
            examination.status = ExaminationStatus.APPROVED if approving else ExaminationStatus.CLOSED
            examination.save(update_fields=["status"])
        audit_record(
            actor=user,
            action="council.deliberation_record",
            obj=deliberation,
            after={
                "label": deliberation.label,
                "outcome": outcome,
                "document": document.pk,
                "sha256": document.sha256,
                "projects": len(deliberation.projects),
                "agenda": deliberation.agenda_id,
                "corrects": corrects.pk if corrects else None,
                "pdf_sha256": pdf_sha256,
                **votes.as_fields(),
            },
        )
        if approving and corrects is None:
            _enqueue("notify_plan_approved", examination.pk)
    return deliberation


def _corrected(value, examination: Examination) -> Deliberation | None:
    """The deliberation a correction refers to: one of this examination's, not corrected yet."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = Deliberation.objects.filter(pk=pk, examination=examination, corrections__isnull=True).first()
    if found is None:
        raise ValidationError(_("Si corregge solo l'ultima delibera di questo esame."))
    return found


# --- E-mails -------------------------------------------------------------------------------------------------


def _enqueue(task_name: str, examination_id: int) -> None:
    from plan import tasks  # plan.tasks imports this module

    task = getattr(tasks, task_name)

    def send() -> None:
        try:
            task.delay(examination_id)
        except Exception:
            # The broker is down: the act stays recorded (a notice is never worth a lost act); the log says so.
            logger.exception("Council notice %s for examination %s could not be enqueued", task_name, examination_id)

    transaction.on_commit(send, robust=True)
