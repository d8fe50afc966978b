"""Implementation tracking after the plan's approval: reporting cycles set by the team, and the offices' dated
progress reports on their projects and agenda actions (status, completion, milestones, money by funding source).

A report is never changed once sent: a new submission is a new row, and the team's review only stamps it
validated or returned. The latest validated report of each project or action is marked ``current``: the
roll-up (``implementation.rollup``) and the public pages read those.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases.models import DocumentKind, ReviewedVersionManager, VisionVersion
from projects.choices import FundingSource
from projects.models import MONEY


class ReportingCycleQuerySet(models.QuerySet):
    def open_on(self, day) -> ReportingCycleQuerySet:
        """Cycles an office may report in on ``day``: opened, not yet closed."""
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def started(self, day=None) -> ReportingCycleQuerySet:
        """Cycles already opened on ``day`` (today by default), open or closed."""
        return self.filter(opens_on__lte=day or timezone.localdate())


class ReportingCycle(models.Model):
    """A reporting round set by the team, e.g. "II trimestre 2027", open from one day to another."""

    title = models.CharField(_("titolo"), max_length=100, unique=True, help_text=_("Per esempio «II trimestre 2027»."))
    opens_on = models.DateField(_("si apre il"))
    closes_on = models.DateField(_("si chiude il"))
    created_at = models.DateTimeField(_("creato il"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creato da"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Claimed by the task that e-mails the offices when the cycle opens: once, whoever runs it.
    notified_at = models.DateTimeField(_("uffici avvisati il"), null=True, blank=True)

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("ciclo di rendicontazione")
        verbose_name_plural = _("cicli di rendicontazione")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="cycle_closes_after_opening")
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    @property
    def state_label(self) -> str:
        today = timezone.localdate()
        if today < self.opens_on:
            return gettext("non ancora aperto")
        if today > self.closes_on:
            return gettext("chiuso")
        return gettext("aperto")


class Progress(models.TextChoices):
    """The state of a project or action as its office reports it."""

    NOT_STARTED = "not_started", _("non avviato")
    ON_TRACK = "on_track", _("in corso, nei tempi")
    DELAYED = "delayed", _("in corso, in ritardo")
    SUSPENDED = "suspended", _("sospeso")
    COMPLETED = "completed", _("concluso")


class Review(models.TextChoices):
    SUBMITTED = "submitted", _("in attesa di validazione")
    VALIDATED = "validated", _("validata")
    RETURNED = "returned", _("rinviata all'ufficio")


def report_upload_to(instance, filename: str) -> str:
    """A name of ours with the extension the content proved (the form checked it)."""
    return f"private/implementation/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ProgressReportQuerySet(models.QuerySet):
    def readable_by(self, user) -> ProgressReportQuerySet:
        """Every report for the team; their office's for office staff; none for anybody else (the public reads
        ``validated()``)."""
        if user.is_authenticated and user.is_team:
            return self
        if user.is_authenticated and user.is_office_staff:
            return self.filter(office_id=user.office_id)
        return self.none()

    def public(self) -> ProgressReportQuerySet:
        """Reports citizens may read: validated, on a published project or on an agenda action."""
        return self.filter(review=Review.VALIDATED).filter(
            Q(project__publication="published") | Q(project__isnull=True)
        )

    def validated(self) -> ProgressReportQuerySet:
        return self.filter(review=Review.VALIDATED)

    def current(self) -> ProgressReportQuerySet:
        """The latest validated report of each project and action."""
        return self.filter(current=True)

    def pending(self) -> ProgressReportQuerySet:
        return self.filter(review=Review.SUBMITTED)

    def for_listing(self) -> ProgressReportQuerySet:
        return self.select_related("cycle", "office", "project", "action__agenda", "author", "reviewed_by")


class ProgressReport(models.Model):
    """One dated report of an office on one of its projects or agenda actions, in a cycle."""

    cycle = models.ForeignKey(ReportingCycle, verbose_name=_("ciclo"), on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("progetto"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    action = models.ForeignKey(
        "projects.AgendaAction",
        verbose_name=_("azione dell'agenda"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("ufficio"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inviata da"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inviata il"), default=timezone.now, db_index=True)
    progress = models.CharField(_("stato di attuazione"), max_length=12, choices=Progress.choices)
    percent = models.PositiveSmallIntegerField(
        _("percentuale di completamento"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("nota"), blank=True, max_length=2000)
    document = models.FileField(_("documento"), upload_to=report_upload_to, blank=True, max_length=200)
    document_name = models.CharField(_("nome del documento"), max_length=200, blank=True)
    # Sums of the funding lines below, written once with them (a report never changes).
    committed_total = models.DecimalField(_("impegnato (€)"), **MONEY, default=Decimal("0"))
    paid_total = models.DecimalField(_("pagato (€)"), **MONEY, default=Decimal("0"))
    review = models.CharField(
        _("esito della verifica"), max_length=10, choices=Review.choices, default=Review.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verificata da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("verificata il"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("motivo del rinvio"), blank=True, max_length=2000)
    current = models.BooleanField(_("ultima validata"), default=False, editable=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rilevazione dell'avanzamento")
        verbose_name_plural = _("rilevazioni dell'avanzamento")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(action__isnull=True))
                | (Q(project__isnull=True) & Q(action__isnull=False)),
                name="report_on_a_project_or_an_action",
            ),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="report_percent_0_100"),
            models.CheckConstraint(condition=Q(paid_total__lte=F("committed_total")), name="report_paid_not_over"),
            models.CheckConstraint(condition=~Q(review="returned") | ~Q(return_reason=""), name="report_return_reason"),
            models.CheckConstraint(condition=~Q(current=True) | Q(review="validated"), name="report_current_validated"),
            # One report awaiting review and one validated per project (action) and cycle; returned ones pile up.
            models.UniqueConstraint(
                fields=["cycle", "project"], condition=Q(review="submitted"), name="report_one_pending_per_project"
            ),
            models.UniqueConstraint(
                fields=["cycle", "action"], condition=Q(review="submitted"), name="report_one_pending_per_action"
            ),
            models.UniqueConstraint(
                fields=["cycle", "project"], condition=Q(review="validated"), name="report_one_valid_per_project"
            ),
            models.UniqueConstraint(
                fields=["cycle", "action"], condition=Q(review="validated"), name="report_one_valid_per_action"
            ),
            models.UniqueConstraint(fields=["project"], condition=Q(current=True), name="report_one_current_project"),
            models.UniqueConstraint(fields=["action"], condition=Q(current=True), name="report_one_current_action"),
        ]
        indexes = [models.Index(fields=["current", "office"], name="report_current_office_idx")]

    def __str__(self) -> str:
        return gettext("%(subject)s, %(cycle)s, %(date)s") % {
            "subject": self.subject_label,
            "cycle": self.cycle,
            "date": timezone.localtime(self.submitted_at).strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("implementation:report", args=[self.pk])

    @property
    def subject(self):
        return self.project if self.project_id else self.action

    @property
    def subject_label(self) -> str:
        if self.project_id:
            return str(self.project)
        return f"{self.action.code} {self.action.title}" if self.action_id else ""

    @property
    def is_late(self) -> bool:
        return timezone.localtime(self.submitted_at).date() > self.cycle.closes_on

    @property
    def is_pending(self) -> bool:
        return self.review == Review.SUBMITTED

    def snapshot(self) -> dict:
        return {
            "progress": self.progress,
            "percent": self.percent,
            "committed": str(self.committed_total),
            "paid": str(self.paid_total),
            "review": self.review,
        }


class Milestone(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("traguardo"), max_length=200)
    planned_on = models.DateField(_("data prevista"))
    achieved_on = models.DateField(_("data effettiva"), null=True, blank=True)

    class Meta:
        verbose_name = _("traguardo")
        verbose_name_plural = _("traguardi")
        ordering = ["report", "planned_on", "pk"]

    def __str__(self) -> str:
        return self.title


class FundingProgress(models.Model):
    """Committed and paid amounts of one funding source, as reported."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("fonte"), max_length=20, choices=FundingSource.choices)
    committed = models.DecimalField(_("impegnato (€)"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    paid = models.DecimalField(_("pagato (€)"), **MONEY, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("avanzamento finanziario")
        verbose_name_plural = _("avanzamento finanziario")
        ordering = ["report", "source"]
        constraints = [
            models.UniqueConstraint(fields=["report", "source"], name="funding_progress_one_per_source"),
            models.CheckConstraint(condition=Q(committed__gte=0) & Q(paid__gte=0), name="funding_progress_positive"),
            models.CheckConstraint(condition=Q(paid__lte=F("committed")), name="funding_progress_paid_not_over"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.committed} / {self.paid}"


class ReportReminder(models.Model):
    """One reminder e-mail to an office user; the unique (user, day) makes "at most one a day" hold."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("giorno"))
    sent_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("promemoria di rendicontazione")
        verbose_name_plural = _("promemoria di rendicontazione")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_report_reminder_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day:%d/%m/%Y}"


# --- Governance model -------------------------------------------------------------------------------------------


class GovernanceVersion(VisionVersion):
    """A version of the governance model of the implementation: a reviewed document like the Vision (draft → open to
    the positions of offices and mayors → closed → adopted, ``phases.services``), with its bodies and the offices'
    referents, frozen with the text once the draft is opened."""

    objects = ReviewedVersionManager(DocumentKind.GOVERNANCE)

    class Meta:
        proxy = True
        verbose_name = _("versione del modello di governance")
        verbose_name_plural = _("versioni del modello di governance")

    def __str__(self) -> str:
        return gettext("Modello di governance, versione %(number)s") % {"number": self.number}


class ReviewFrequency(models.TextChoices):
    MONTHLY = "monthly", _("ogni mese")
    QUARTERLY = "quarterly", _("ogni trimestre")
    HALF_YEARLY = "half_yearly", _("ogni semestre")
    YEARLY = "yearly", _("ogni anno")


class GovernanceBody(models.Model):
    """A body of the governance model (the cabina di regia, a technical table…): who sits in it, what it answers
    for and how often it reviews the progress."""

    version = models.ForeignKey(
        VisionVersion, verbose_name=_("versione"), on_delete=models.CASCADE, related_name="governance_bodies"
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)
    name = models.CharField(_("organismo"), max_length=200, help_text=_("Per esempio «Cabina di regia»."))
    members = models.TextField(_("composizione"), max_length=2000)
    duties = models.TextField(_("di che cosa risponde"), max_length=3000)
    review_frequency = models.CharField(
        _("verifica dell'avanzamento"),
        max_length=12,
        choices=ReviewFrequency.choices,
        default=ReviewFrequency.QUARTERLY,
    )

    class Meta:
        verbose_name = _("organismo di governance")
        verbose_name_plural = _("organismi di governance")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class OfficeReferent(models.Model):
    """The referent of an office for the implementation, in a version of the governance model: a role, not a
    person's private data."""

    version = models.ForeignKey(
        VisionVersion, verbose_name=_("versione"), on_delete=models.CASCADE, related_name="office_referents"
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("ufficio"), on_delete=models.PROTECT, related_name="governance_referents"
    )
    referent = models.CharField(
        _("referente"), max_length=200, help_text=_("La funzione, per esempio «Dirigente del Servizio Viabilità».")
    )
    duties = models.TextField(_("di che cosa risponde"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("referente per ufficio")
        verbose_name_plural = _("referenti per ufficio")
        ordering = ["version", "office__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "office"], name="one_referent_per_office_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.referent}"


# --- Indicators measured ----------------------------------------------------------------------------------------


class IndicatorValueQuerySet(models.QuerySet):
    def in_order(self) -> IndicatorValueQuerySet:
        return self.order_by("indicator_id", "year", "pk")

    def for_objective(self, objective) -> IndicatorValueQuerySet:
        return self.filter(indicator__objective=objective)


class IndicatorValue(models.Model):
    """The value an indicator of the objectives tree (``phases.Indicator``) measured in one year, with its source.

    One value per indicator and year: entering the same year again corrects it (the audit log keeps the old value).
    """

    indicator = models.ForeignKey(
        "phases.Indicator", verbose_name=_("indicatore"), on_delete=models.CASCADE, related_name="measurements"
    )
    year = models.PositiveSmallIntegerField(_("anno"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    value = models.DecimalField(_("valore misurato"), max_digits=14, decimal_places=2)
    source = models.CharField(_("fonte"), max_length=250, help_text=_("Per esempio «ISTAT, censimento 2021»."))
    note = models.TextField(_("nota"), blank=True, max_length=1000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inserito da"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("inserito il"), default=timezone.now)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("valore misurato dell'indicatore")
        verbose_name_plural = _("valori misurati degli indicatori")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="indicator_value_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"
