"""The Metropolitan Council's act on the final plan: the examination of one final version, the councillors'
amendments with their outcomes, and the deliberation that approves the version by its SHA-256.

An approved deliberation freezes what it approved: the services refuse to change it, and on PostgreSQL triggers
(``plan/migrations/0004_council_freeze_triggers.py``) refuse any UPDATE or DELETE of a deliberation and of a plan
document a deliberation refers to. A correction is a new deliberation linked to the one it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan.models.documents import DraftSection, PlanDocument

MONEY = {"max_digits": 15, "decimal_places": 2}


class ExaminationStatus(models.TextChoices):
    OPEN = "open", _("all'esame del Consiglio")
    APPROVED = "approved", _("approvato")
    CLOSED = "closed", _("chiuso senza approvazione")


class ExaminationQuerySet(models.QuerySet):
    def current(self) -> Examination | None:
        """The examination under way, or else the latest one."""
        return (
            self.select_related("document", "opened_by")
            .defer("document__snapshot")
            .order_by(
                models.Case(models.When(status=ExaminationStatus.OPEN, then=0), default=1),
                "-opened_at",
                "-pk",
            )
            .first()
        )

    def open(self) -> ExaminationQuerySet:
        return self.filter(status=ExaminationStatus.OPEN)


class Examination(models.Model):
    """A final version of the plan under the council's examination, with the window for amendments."""

    document = models.ForeignKey(
        PlanDocument, verbose_name=_("versione esaminata"), on_delete=models.PROTECT, related_name="examinations"
    )
    agenda = models.ForeignKey(
        "projects.Agenda",
        verbose_name=_("agenda annuale esaminata"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="examinations",
    )
    opened_at = models.DateTimeField(_("trasmesso al Consiglio il"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trasmesso da"), on_delete=models.PROTECT, related_name="+"
    )
    amendments_open_from = models.DateTimeField(_("emendamenti dal"))
    amendments_close_at = models.DateTimeField(_("emendamenti fino al"))
    status = models.CharField(
        _("stato"), max_length=10, choices=ExaminationStatus.choices, default=ExaminationStatus.OPEN
    )
    # Claimed by the e-mail tasks, so that mayors, offices and council are told once of each.
    opened_notified_at = models.DateTimeField(_("trasmissione notificata il"), null=True, blank=True, editable=False)
    approved_notified_at = models.DateTimeField(_("approvazione notificata il"), null=True, blank=True, editable=False)

    objects = ExaminationQuerySet.as_manager()

    class Meta:
        verbose_name = _("esame del piano in Consiglio")
        verbose_name_plural = _("esami del piano in Consiglio")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="open"), name="examination_one_open"),
            models.CheckConstraint(
                condition=Q(amendments_close_at__gt=models.F("amendments_open_from")),
                name="examination_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("Esame del %(document)s") % {"document": self.document}

    @property
    def is_open(self) -> bool:
        return self.status == ExaminationStatus.OPEN

    def window_open(self, now=None) -> bool:
        """Whether councillors may file or withdraw amendments now."""
        now = now or timezone.now()
        return self.is_open and self.amendments_open_from <= now < self.amendments_close_at


class AmendmentTarget(models.TextChoices):
    SECTION = "section", _("una sezione del testo del piano")
    PROJECT_ADD = "project_add", _("aggiungere un progetto al piano")
    PROJECT_REMOVE = "project_remove", _("togliere un progetto dal piano")
    PROJECT_AMOUNT = "project_amount", _("cambiare l'importo di un progetto")
    PROJECT_YEAR = "project_year", _("cambiare l'anno di un progetto")
    ACTION = "action", _("un'azione dell'agenda annuale")


class AmendmentState(models.TextChoices):
    PRESENTED = "presented", _("presentato")
    ADMISSIBLE = "admissible", _("ammissibile")
    INADMISSIBLE = "inadmissible", _("inammissibile")
    APPROVED = "approved", _("approvato")
    REJECTED = "rejected", _("respinto")
    WITHDRAWN = "withdrawn", _("ritirato")


# States in which an amendment still waits for a decision of the council.
PENDING_STATES = (AmendmentState.PRESENTED, AmendmentState.ADMISSIBLE)
PROJECT_TARGETS = (
    AmendmentTarget.PROJECT_ADD,
    AmendmentTarget.PROJECT_REMOVE,
    AmendmentTarget.PROJECT_AMOUNT,
    AmendmentTarget.PROJECT_YEAR,
)


class AmendmentQuerySet(models.QuerySet):
    def for_listing(self) -> AmendmentQuerySet:
        return self.select_related("author", "decided_by", "project", "action__agenda").order_by("number")

    def pending(self) -> AmendmentQuerySet:
        return self.filter(state__in=PENDING_STATES)

    def addenda(self) -> dict[str, list[Amendment]]:
        """The approved amendments to the plan's text, by section (one query): the plan's sections are built
        from the process's data and keep no text of their own, so an approved text is shown as an addendum."""
        grouped: dict[str, list[Amendment]] = {}
        for amendment in self.filter(target=AmendmentTarget.SECTION, state=AmendmentState.APPROVED).order_by("number"):
            grouped.setdefault(amendment.section, []).append(amendment)
        return grouped


class Amendment(models.Model):
    """A councillor's amendment (emendamento) to the plan under examination, with its outcome and votes."""

    examination = models.ForeignKey(
        Examination, verbose_name=_("esame"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveIntegerField(_("numero"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("presentato da"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("presentato il"), default=timezone.now)
    target = models.CharField(_("oggetto"), max_length=20, choices=AmendmentTarget.choices)
    section = models.CharField(_("sezione"), max_length=20, choices=DraftSection.choices, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("progetto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    action = models.ForeignKey(
        "projects.AgendaAction",
        verbose_name=_("azione dell'agenda"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    text = models.TextField(_("testo proposto"), max_length=10000, blank=True)
    amount = models.DecimalField(_("importo proposto (€)"), **MONEY, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("anno proposto"), null=True, blank=True)
    motivation = models.TextField(_("motivazione"), max_length=5000)

    state = models.CharField(
        _("stato"), max_length=15, choices=AmendmentState.choices, default=AmendmentState.PRESENTED
    )
    note = models.TextField(_("nota della segreteria"), max_length=2000, blank=True)
    present = models.PositiveSmallIntegerField(_("presenti"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("favorevoli"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("contrari"), null=True, blank=True)
    abstained = models.PositiveSmallIntegerField(_("astenuti"), null=True, blank=True)
    decided_at = models.DateTimeField(_("deciso il"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrato da"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("emendamento")
        verbose_name_plural = _("emendamenti")
        ordering = ["examination", "number"]
        constraints = [
            models.UniqueConstraint(fields=["examination", "number"], name="amendment_unique_number"),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(present__gte=models.F("votes_for") + models.F("votes_against") + models.F("abstained")),
                name="amendment_votes_within_present",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return _("Emendamento n. %(number)s") % {"number": self.number}

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES

    @property
    def is_voted(self) -> bool:
        return self.present is not None


class DeliberationOutcome(models.TextChoices):
    APPROVED = "approved", _("approvato")
    REJECTED = "rejected", _("respinto")


class DeliberationQuerySet(models.QuerySet):
    def approving(self) -> DeliberationQuerySet:
        """Deliberations that approve the plan and that no later act corrects, the latest first."""
        return self.filter(outcome=DeliberationOutcome.APPROVED, corrections__isnull=True).order_by(
            "-date", "-recorded_at", "-pk"
        )

    def for_listing(self) -> DeliberationQuerySet:
        return self.select_related("document", "recorded_by", "corrects").defer("document__snapshot")


class Deliberation(models.Model):
    """The council's act on the plan: once recorded it is never changed (a correction is a new, linked act)."""

    number = models.PositiveIntegerField(_("numero"))
    year = models.PositiveSmallIntegerField(_("anno"))
    date = models.DateField(_("data"))
    session = models.CharField(_("seduta"), max_length=200)
    present = models.PositiveSmallIntegerField(_("presenti"))
    votes_for = models.PositiveSmallIntegerField(_("favorevoli"))
    votes_against = models.PositiveSmallIntegerField(_("contrari"))
    abstained = models.PositiveSmallIntegerField(_("astenuti"))
    outcome = models.CharField(_("esito"), max_length=10, choices=DeliberationOutcome.choices)
    pdf = models.FileField(_("delibera firmata (PDF)"), upload_to="delibere/", max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 della delibera"), max_length=64)

    examination = models.ForeignKey(
        Examination, verbose_name=_("esame"), on_delete=models.PROTECT, related_name="deliberations"
    )
    document = models.ForeignKey(
        PlanDocument, verbose_name=_("versione approvata"), on_delete=models.PROTECT, related_name="deliberations"
    )
    # Copies, so that the act says by itself what it approved.
    document_sha256 = models.CharField(_("SHA-256 della versione"), max_length=64)
    projects = models.JSONField(_("progetti approvati"), default=list, blank=True)
    agenda = models.ForeignKey(
        "projects.Agenda",
        verbose_name=_("agenda annuale approvata"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliberations",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corregge la delibera"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrata da"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrata il"), default=timezone.now)

    objects = DeliberationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delibera del Consiglio metropolitano")
        verbose_name_plural = _("delibere del Consiglio metropolitano")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "year"], name="deliberation_unique_number"),
            models.CheckConstraint(
                condition=Q(present__gte=models.F("votes_for") + models.F("votes_against") + models.F("abstained")),
                name="deliberation_votes_within_present",
            ),
            models.CheckConstraint(
                condition=Q(document_sha256__regex=r"^[0-9a-f]{64}$"), name="deliberation_document_sha256"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _("Delibera n. %(number)s/%(year)s") % {"number": self.number, "year": self.year}

    @property
    def is_approval(self) -> bool:
        return self.outcome == DeliberationOutcome.APPROVED
