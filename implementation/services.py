"""Writes of implementation tracking: the team's reporting cycles, the offices' progress reports and the team's
review, the e-mails that go with them. Keyword-only, one transaction, audited, Italian ValidationErrors.

The phase gate (``Feature.REPORT_PROGRESS``) is asked by the views, as for the agenda's services, so that the demo
data can be written through these same services whatever the phase."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from implementation.indicators import indicators_for
from implementation.models import (
    FundingProgress,
    IndicatorValue,
    Milestone,
    Progress,
    ProgressReport,
    ReportingCycle,
    ReportReminder,
    Review,
)
from implementation.subjects import office_of, reportable_actions, reportable_projects
from outcomes.notices import notice_send
from phases.phases import Feature
from phases.predicates import gate
from projects.choices import FundingSource
from projects.models import Project
from psm_portal.accounts.models import Role, User
from psm_portal.audit.services import audit_record
from psm_portal.lib.uploads import stored_name
from subscriptions.models import UpdateKind
from subscriptions.services import record_update

logger = logging.getLogger(__name__)

MAX_MILESTONES = 10


def _team_only(user) -> None:
    if not (user.is_authenticated and user.is_team):
        raise ValidationError(_("Solo il team PSM gestisce i cicli di rendicontazione e verifica le rilevazioni."))


def _enqueue(task, *args) -> None:
    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            # The broker is down: the daily sweep (send_report_reminders) notifies the cycle later.
            logger.exception("Implementation task %s could not be enqueued", task.name)

    transaction.on_commit(send, robust=True)


# --- Cycles -------------------------------------------------------------------------------------------------------


def cycle_create(*, user, title: str, opens_on: date, closes_on: date) -> ReportingCycle:
    """The team opens a reporting cycle; the offices are e-mailed on its opening day (at once if it is today)."""
    from implementation.tasks import notify_cycle_opened  # implementation.tasks imports this module

    _team_only(user)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Indicate il titolo del ciclo, per esempio «II trimestre 2027».")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("Il ciclo non può chiudersi prima di aprirsi.")})
    if ReportingCycle.objects.filter(title__iexact=title).exists():
        raise ValidationError({"title": _("Esiste già un ciclo con questo titolo.")})
    with transaction.atomic():
        cycle = ReportingCycle.objects.create(title=title, opens_on=opens_on, closes_on=closes_on, created_by=user)
        audit_record(
            actor=user,
            action="cycle.create",
            obj=cycle,
            after={"title": title, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
        )
        if opens_on <= timezone.localdate():
            _enqueue(notify_cycle_opened, cycle.pk)
    return cycle


def _office_staff_with_work():
    """Active office users whose office has something to report on."""
    projects = reportable_projects().filter(office_id=OuterRef("office_id"))
    actions = reportable_actions().filter(responsible_office_id=OuterRef("office_id"))
    return (
        User.objects.active().filter(role=Role.OFFICE, office__isnull=False).filter(Exists(projects) | Exists(actions))
    )


def cycle_notify(*, cycle: ReportingCycle) -> int:
    """E-mail the office staff that a cycle is open; once per cycle (claimed by a conditional UPDATE)."""
    today = timezone.localdate()
    claimed = ReportingCycle.objects.filter(pk=cycle.pk, notified_at__isnull=True, opens_on__lte=today).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    context = {
        "cycle": cycle,
        "opens": date_format(cycle.opens_on, "SHORT_DATE_FORMAT"),
        "closes": date_format(cycle.closes_on, "SHORT_DATE_FORMAT"),
        "link": settings.SITE_URL + reverse("implementation:office"),
    }
    subject = _("Rendicontazione dell'attuazione: il ciclo «%(cycle)s» è aperto fino al %(closes)s") % context
    body = render_to_string("implementation/email/cycle_opened.txt", context)
    emails = _office_staff_with_work().values_list("email", flat=True)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    try:
        return send_mass_mail(messages)
    except Exception:
        # Not all sent: release the claim so that the retried task sends them.
        ReportingCycle.objects.filter(pk=cycle.pk).update(notified_at=None)
        raise


def cycles_notify_opened() -> int:
    """Notify every cycle that has opened and not been announced yet (a cycle set for a later day)."""
    today = timezone.localdate()
    return sum(
        cycle_notify(cycle=cycle)
        for cycle in ReportingCycle.objects.filter(notified_at__isnull=True, opens_on__lte=today, closes_on__gte=today)
    )


# --- Reports ------------------------------------------------------------------------------------------------------


def _clean_milestones(milestones: list[dict]) -> list[dict]:
    rows = [m for m in milestones if (m.get("title") or "").strip()]
    if len(rows) > MAX_MILESTONES:
        raise ValidationError(_("Al massimo %(n)s traguardi per rilevazione.") % {"n": MAX_MILESTONES})
    for row in rows:
        if not row.get("planned_on"):
            raise ValidationError(_("Il traguardo «%(title)s» non ha la data prevista.") % {"title": row["title"]})
        if row.get("achieved_on") and row["achieved_on"] > timezone.localdate():
            raise ValidationError(
                _("Il traguardo «%(title)s» ha una data effettiva futura: indicatela quando è raggiunto.")
                % {"title": row["title"]}
            )
    return rows


def _clean_funding(funding: list[dict]) -> list[dict]:
    rows = [f for f in funding if f.get("source")]
    seen = set()
    for row in rows:
        if row["source"] not in FundingSource.values:
            raise ValidationError(_("Fonte di finanziamento sconosciuta."))
        label = FundingSource(row["source"]).label
        if row["source"] in seen:
            raise ValidationError(_("La fonte «%(source)s» compare due volte.") % {"source": label})
        seen.add(row["source"])
        committed, paid = Decimal(row.get("committed") or 0), Decimal(row.get("paid") or 0)
        if committed < 0 or paid < 0:
            raise ValidationError(_("Gli importi non possono essere negativi."))
        if paid > committed:
            raise ValidationError(_("Per la fonte «%(source)s» il pagato supera l'impegnato.") % {"source": label})
        row["committed"], row["paid"] = committed, paid
    return rows


def check_progress(progress: str, percent: int) -> None:
    """The state and the percentage agree (also asked by the monitoring importer's preview)."""
    if progress not in Progress.values:
        raise ValidationError({"progress": _("Stato di attuazione sconosciuto.")})
    if percent is None or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("La percentuale di completamento va da 0 a 100.")})
    if progress == Progress.COMPLETED and percent != 100:
        raise ValidationError({"percent": _("Un intervento concluso è completo al 100%.")})
    if progress == Progress.NOT_STARTED and percent != 0:
        raise ValidationError({"percent": _("Un intervento non avviato è completo allo 0%.")})


def report_submit(
    *,
    user,
    cycle: ReportingCycle,
    subject,
    progress: str,
    percent: int,
    note: str = "",
    milestones: list[dict] = (),
    funding: list[dict] = (),
    document=None,
) -> ProgressReport:
    """An office (or the team) reports on one of its projects or actions in a cycle: a new dated row, never an
    edit of an earlier one."""
    is_project = isinstance(subject, Project)
    scoped = (reportable_projects() if is_project else reportable_actions()).editable_by(user)
    if not scoped.filter(pk=subject.pk).exists():
        raise ValidationError(_("Potete rendicontare solo i progetti e le azioni del vostro ufficio."))
    if cycle.opens_on > timezone.localdate():
        raise ValidationError(_("Il ciclo «%(cycle)s» non è ancora aperto.") % {"cycle": cycle})
    check_progress(progress, percent)
    milestones, funding = _clean_milestones(list(milestones)), _clean_funding(list(funding))
    same = ProgressReport.objects.filter(cycle=cycle, **({"project": subject} if is_project else {"action": subject}))
    if same.filter(review=Review.SUBMITTED).exists():
        raise ValidationError(_("C'è già una rilevazione in attesa di verifica per questo ciclo."))
    if same.filter(review=Review.VALIDATED).exists():
        raise ValidationError(_("La rilevazione di questo ciclo è già stata validata."))
    with transaction.atomic():
        report = ProgressReport(
            cycle=cycle,
            project=subject if is_project else None,
            action=None if is_project else subject,
            office=office_of(subject),
            author=user,
            progress=progress,
            percent=percent,
            note=(note or "").strip(),
            committed_total=sum((row["committed"] for row in funding), Decimal("0")),
            paid_total=sum((row["paid"] for row in funding), Decimal("0")),
        )
        if document is not None:
            report.document.save(stored_name(document), document, save=False)
            report.document_name = (document.name or "")[:200]
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as error:
            # Two submissions at once: the partial unique constraint lets one through.
            raise ValidationError(_("C'è già una rilevazione in attesa di verifica per questo ciclo.")) from error
        Milestone.objects.bulk_create(
            Milestone(
                report=report,
                title=row["title"].strip()[:200],
                planned_on=row["planned_on"],
                achieved_on=row.get("achieved_on"),
            )
            for row in milestones
        )
        FundingProgress.objects.bulk_create(
            FundingProgress(report=report, source=row["source"], committed=row["committed"], paid=row["paid"])
            for row in funding
        )
        audit_record(actor=user, action="report.submit", obj=report, after=report.snapshot())
    return report


def _pending(report: ProgressReport) -> ProgressReport:
    # Locked and read again: two reviewers at once decide once.
    fresh = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if fresh.review != Review.SUBMITTED:
        raise ValidationError(
            _("Questa rilevazione è già stata verificata: %(state)s.") % {"state": fresh.get_review_display()}
        )
    return fresh


def report_validate(*, user, report: ProgressReport) -> ProgressReport:
    """The team validates a report: it becomes the subject's current one unless a later cycle's is already."""
    _team_only(user)
    with transaction.atomic():
        report = _pending(report)
        before = report.snapshot()
        subject = Q(project_id=report.project_id) if report.project_id else Q(action_id=report.action_id)
        newer = (
            ProgressReport.objects.current()
            .filter(subject)
            .filter(
                Q(cycle__opens_on__gt=report.cycle.opens_on)
                | Q(cycle__opens_on=report.cycle.opens_on, submitted_at__gt=report.submitted_at)
            )
        )
        becomes_current = not newer.exists()
        if becomes_current:
            ProgressReport.objects.current().filter(subject).update(current=False)
        report.review = Review.VALIDATED
        report.reviewed_by = user
        report.reviewed_at = timezone.now()
        report.current = becomes_current
        report.save(update_fields=["review", "reviewed_by", "reviewed_at", "current"])
        audit_record(actor=user, action="report.validate", obj=report, before=before, after=report.snapshot())
        _record_validated(report)
    return report


def _record_validated(report: ProgressReport) -> None:
    """Tell the subscribers of the subject's comuni and objectives: the validated progress, and each milestone
    that no earlier validated report of the subject had."""
    if report.project_id:
        project = report.project
        comuni = list(project.municipalities.values_list("istat_code", flat=True))
        objectives = list(project.objectives.values_list("code", flat=True))
        url = project.get_absolute_url()
        earlier = ProgressReport.objects.public().filter(project_id=report.project_id)
    else:
        action = report.action
        comuni = list(
            Project.municipalities.through.objects.filter(project__agenda_actions=action)
            .values_list("municipality_id", flat=True)
            .distinct()
        )
        objectives = [action.objective.code] if action.objective_id else []
        url = reverse("implementation:progress")
        earlier = ProgressReport.objects.public().filter(action_id=report.action_id)
    subject = report.subject_label[:200]
    record_update(
        kind=UpdateKind.PROGRESS,
        title=_("%(subject)s: avanzamento al %(percent)s%%") % {"subject": subject, "percent": report.percent},
        url=url,
        comuni=comuni,
        objectives=objectives,
    )
    known = set(Milestone.objects.filter(report__in=earlier.exclude(pk=report.pk)).values_list("title", flat=True))
    for milestone in report.milestones.order_by("planned_on", "pk"):
        if milestone.title not in known:
            record_update(
                kind=UpdateKind.MILESTONE,
                title=_("%(subject)s: nuovo traguardo «%(title)s»") % {"subject": subject, "title": milestone.title},
                url=url,
                comuni=comuni,
                objectives=objectives,
            )


def report_return(*, user, report: ProgressReport, reason: str) -> ProgressReport:
    """The team sends a report back to its office with a reason; the office then sends a new one."""
    from implementation.tasks import notify_report_returned  # implementation.tasks imports this module

    _team_only(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indicate il motivo del rinvio all'ufficio.")})
    with transaction.atomic():
        report = _pending(report)
        before = report.snapshot()
        report.review = Review.RETURNED
        report.reviewed_by = user
        report.reviewed_at = timezone.now()
        report.return_reason = reason[:2000]
        report.save(update_fields=["review", "reviewed_by", "reviewed_at", "return_reason"])
        audit_record(actor=user, action="report.return", obj=report, before=before, after={"reason": reason})
        _enqueue(notify_report_returned, report.pk)
    return report


def report_returned_notify(*, report: ProgressReport) -> int:
    """E-mail the report's office (its active staff, the author among them) that it came back, with the reason;
    once per report, whoever runs the task and however often (``outcomes.notices``)."""
    if report.review != Review.RETURNED:
        return 0
    staff = set(
        User.objects.active().filter(role=Role.OFFICE, office_id=report.office_id).values_list("email", flat=True)
    )
    if report.author_id and report.author.is_active:
        staff.add(report.author.email)
    context = {"report": report, "link": settings.SITE_URL + reverse("implementation:office")}
    subject = _("Rilevazione da rivedere: %(subject)s") % {"subject": report.subject_label[:120]}
    body = render_to_string("implementation/email/report_returned.txt", context)
    return notice_send(key=f"report.returned:{report.pk}", recipients=staff, subject=subject, body=body)


# --- Reminders ----------------------------------------------------------------------------------------------------


def overdue_cycle() -> ReportingCycle | None:
    """The latest cycle whose window has closed: what it misses is overdue."""
    return ReportingCycle.objects.filter(closes_on__lt=timezone.localdate()).order_by("-closes_on", "-pk").first()


def missing_in(cycle: ReportingCycle):
    """Projects and actions with neither a report awaiting review nor a validated one in ``cycle``."""
    done = ProgressReport.objects.filter(cycle=cycle, review__in=[Review.SUBMITTED, Review.VALIDATED])
    projects = reportable_projects().exclude(pk__in=done.filter(project__isnull=False).values("project_id"))
    actions = reportable_actions().exclude(pk__in=done.filter(action__isnull=False).values("action_id"))
    return projects, actions


def reminders_send() -> int:
    """Remind office staff of what their office has not reported in the latest closed cycle; at most one
    e-mail per person a day (the unique (user, day) row is claimed before the e-mail goes)."""
    cycle = overdue_cycle()
    if cycle is None or not gate(Feature.REPORT_PROGRESS).open:
        return 0
    projects, actions = missing_in(cycle)
    late_offices = set(projects.values_list("office_id", flat=True).distinct()) | set(
        actions.values_list("responsible_office_id", flat=True).distinct()
    )
    staff = User.objects.active().filter(role=Role.OFFICE, office_id__in=late_offices).select_related("office")
    today = timezone.localdate()
    subject = _("Promemoria: rilevazioni dell'attuazione mancanti per «%(cycle)s»") % {"cycle": cycle}
    link = settings.SITE_URL + reverse("implementation:office")
    sent = 0
    for person in staff:
        try:
            with transaction.atomic():
                ReportReminder.objects.create(user=person, day=today)
        except IntegrityError:
            continue
        context = {
            "cycle": cycle,
            "closes": date_format(cycle.closes_on, "SHORT_DATE_FORMAT"),
            "projects": projects.filter(office_id=person.office_id).count(),
            "actions": actions.filter(responsible_office_id=person.office_id).count(),
            "link": link,
        }
        body = render_to_string("implementation/email/reminder.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except Exception:
            # Not sent: free the day's slot so that the retried task sends it.
            ReportReminder.objects.filter(user=person, day=today).delete()
            raise
        sent += 1
    return sent


# --- Indicators measured ----------------------------------------------------------------------------------------

VALUE_LIMIT = Decimal("999999999999.99")  # the column's 14 digits, 2 after the comma


def indicator_value_record(
    *, user, indicator, year: int, value: Decimal, source: str, note: str = ""
) -> tuple[IndicatorValue, bool]:
    """Record what ``indicator`` measured in ``year``; the same year again corrects the value (the audit log keeps
    the old one). The team records any indicator, an office those of the objectives its actions serve.
    Returns ``(value, created)``."""
    if not indicators_for(user).filter(pk=indicator.pk).exists():
        raise ValidationError(
            _("Inseriscono i valori il team PSM e gli uffici responsabili delle azioni che servono l'obiettivo.")
        )
    errors = {}
    if year is None or not 2000 <= int(year) <= 2100:
        errors["year"] = _("Indica un anno tra il 2000 e il 2100.")
    if value is None:
        errors["value"] = _("Indica il valore misurato.")
    elif abs(value) > VALUE_LIMIT:
        errors["value"] = _("Il valore è troppo grande.")
    source = (source or "").strip()
    if not source:
        errors["source"] = _("Indica la fonte del valore (per esempio «ISTAT, censimento 2021»).")
    if errors:
        raise ValidationError(errors)
    value = Decimal(value).quantize(Decimal("0.01"))
    note = (note or "").strip()[:1000]
    with transaction.atomic():
        existing = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
        if existing is None:
            try:
                with transaction.atomic():
                    measured = IndicatorValue.objects.create(
                        indicator=indicator, year=year, value=value, source=source[:250], note=note, entered_by=user
                    )
            except IntegrityError:
                raise ValidationError(
                    _("Un valore per il %(year)s è appena stato inserito: ricarica la pagina.") % {"year": year}
                )
            audit_record(
                actor=user,
                action="indicator_value.create",
                obj=measured,
                after={"year": year, "value": str(value), "source": source},
            )
            return measured, True
        before = {"value": str(existing.value), "source": existing.source, "note": existing.note}
        existing.value, existing.source, existing.note = value, source[:250], note
        existing.entered_by, existing.entered_at = user, timezone.now()
        existing.save(update_fields=["value", "source", "note", "entered_by", "entered_at"])
        audit_record(
            actor=user,
            action="indicator_value.correct",
            obj=existing,
            before=before,
            after={"value": str(value), "source": source, "note": note},
        )
        return existing, False
