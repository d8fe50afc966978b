"""The annual agenda of actions: for each year of the plan, a versioned programme of actions that leads the
Città Metropolitana to carry out its projects (draft → submitted to the council → approved).

An approved version is frozen: the services refuse to change it and, on PostgreSQL, so does the database
(``projects/migrations/0009_agenda_freeze_triggers.py``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from projects.choices import FundingSource
from projects.models.portfolio import MONEY, Project

QUARTERS = [(1, _("I trimestre")), (2, _("II trimestre")), (3, _("III trimestre")), (4, _("IV trimestre"))]


class AgendaStatus(models.TextChoices):
    DRAFT = "draft", _("bozza")
    SUBMITTED = "submitted", _("sottoposta al Consiglio")
    APPROVED = "approved", _("approvata")
    SUPERSEDED = "superseded", _("sostituita")


# What citizens may read: the approved version of a year or, until there is one, the submitted one.
PUBLIC = (AgendaStatus.APPROVED, AgendaStatus.SUBMITTED)


class AgendaQuerySet(models.QuerySet):
    def for_year(self, year: int) -> AgendaQuerySet:
        return self.filter(year=year)

    def drafts(self) -> AgendaQuerySet:
        return self.filter(status=AgendaStatus.DRAFT)

    def submitted(self) -> AgendaQuerySet:
        return self.filter(status=AgendaStatus.SUBMITTED)

    def approved(self) -> AgendaQuerySet:
        return self.filter(status=AgendaStatus.APPROVED)

    def latest(self) -> Agenda | None:
        """The highest version of this set (of any status)."""
        return self.order_by("-year", "-version").first()

    def public(self) -> Agenda | None:
        """The version citizens read: the approved one, or else the latest submitted one; of the latest year
        that has one (``Agenda.objects.for_year(2027).public()`` for a given year)."""
        return (
            self.filter(status__in=PUBLIC)
            .order_by("-year", models.Case(models.When(status=AgendaStatus.APPROVED, then=0), default=1), "-version")
            .first()
        )

    def public_years(self) -> list[int]:
        """The years that have a public version, latest first."""
        return list(self.filter(status__in=PUBLIC).order_by("-year").values_list("year", flat=True).distinct())


class Agenda(models.Model):
    """One version of a year's agenda. Its actions are copied into the next version, never shared."""

    year = models.PositiveSmallIntegerField(_("anno"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("versione"), default=1)
    status = models.CharField(_("stato"), max_length=12, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT)
    created_at = models.DateTimeField(_("creata il"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creata da"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sottoposta al Consiglio il"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approvata il"), null=True, blank=True)
    approved_by_act = models.CharField(
        _("atto di approvazione"), max_length=100, blank=True, help_text=_("Per esempio «Delibera n. 12/2027».")
    )

    objects = AgendaQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda annuale")
        verbose_name_plural = _("agende annuali")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="agenda_year_version_unique"),
            models.UniqueConstraint(fields=["year"], condition=Q(status="draft"), name="agenda_one_draft_per_year"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="submitted"), name="agenda_one_submitted_per_year"
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="approved"), name="agenda_one_approved_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(approved_at__isnull=False) & ~Q(approved_by_act="")),
                name="agenda_approved_has_act",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agenda_version_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(title)s, versione %(version)s") % {"title": self.title, "version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("projects:agenda_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return gettext("Agenda annuale %(year)s") % {"year": self.year}

    @property
    def is_draft(self) -> bool:
        return self.status == AgendaStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == AgendaStatus.SUBMITTED

    @property
    def is_frozen(self) -> bool:
        """Approved once: the version and its actions never change again (the database agrees)."""
        return self.approved_at is not None

    def snapshot(self) -> dict:
        return {
            "year": self.year,
            "version": self.version,
            "status": self.status,
            "approved_by_act": self.approved_by_act,
        }

    # State changes: the caller (projects.services.agenda) validates, saves and audits.
    def submit(self, moment=None) -> None:
        self.status = AgendaStatus.SUBMITTED
        self.submitted_at = moment or timezone.now()

    def approve(self, act: str, moment=None) -> None:
        self.status = AgendaStatus.APPROVED
        self.approved_at = moment or timezone.now()
        self.approved_by_act = act

    def supersede(self) -> None:
        self.status = AgendaStatus.SUPERSEDED


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("programmata")
    IN_PROGRESS = "in_progress", _("in corso")
    DONE = "done", _("conclusa")
    POSTPONED = "postponed", _("rinviata")
    CANCELLED = "cancelled", _("annullata")


class AgendaActionQuerySet(models.QuerySet):
    def editable_by(self, user) -> AgendaActionQuerySet:
        """Every action for the PSM team; those their office is responsible for for office staff; none else."""
        if user.is_authenticated and user.is_team:
            return self
        if user.is_authenticated and user.is_office_staff:
            return self.filter(responsible_office_id=user.office_id)
        return self.none()

    def in_order(self) -> AgendaActionQuerySet:
        return self.order_by("position", "pk")

    def for_listing(self) -> AgendaActionQuerySet:
        """Everything a list prints, in a constant number of queries."""
        return self.select_related("agenda", "objective", "responsible_office").prefetch_related(
            models.Prefetch("contributing_offices"),
            models.Prefetch(
                "projects",
                queryset=Project.objects.only("pk", "title", "cup", "office_id", "publication").prefetch_related(
                    models.Prefetch("municipalities", queryset=Municipality.objects.only("istat_code", "name"))
                ),
            ),
        )

    def of_office(self, office) -> AgendaActionQuerySet:
        return self.filter(responsible_office=office)

    def in_quarter(self, quarter: int) -> AgendaActionQuerySet:
        """Actions under way in ``quarter`` (from their start to their due quarter)."""
        return self.filter(start_quarter__lte=quarter, due_quarter__gte=quarter)

    def serving(self, objective) -> AgendaActionQuerySet:
        """Actions serving ``objective`` or, for an axis or a general objective, any objective below it."""
        return self.filter(Q(objective=objective) | Q(objective__sort_key__startswith=f"{objective.sort_key}."))

    def for_municipality(self, municipality) -> AgendaActionQuerySet:
        """Actions with a project in ``municipality``."""
        projects = Project.municipalities.through.objects.filter(municipality_id=municipality.pk)
        links = AgendaAction.projects.through.objects.filter(
            agendaaction_id=OuterRef("pk"), project_id__in=projects.values("project_id")
        )
        return self.filter(Exists(links))


class AgendaAction(models.Model):
    """An action of a year's agenda: what an office does, when, with which money, for which projects."""

    agenda = models.ForeignKey(Agenda, verbose_name=_("agenda"), on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(_("posizione"), default=1)
    title = models.CharField(_("titolo"), max_length=300)
    description = models.TextField(_("descrizione"), blank=True, max_length=5000)
    projects = models.ManyToManyField(Project, verbose_name=_("progetti"), related_name="agenda_actions", blank=True)
    objective = models.ForeignKey(
        "phases.Objective",
        verbose_name=_("obiettivo specifico"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_actions",
        limit_choices_to={"level": 3},
    )
    responsible_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("ufficio responsabile"),
        on_delete=models.PROTECT,
        related_name="agenda_actions",
    )
    contributing_offices = models.ManyToManyField(
        "accounts.Office", verbose_name=_("uffici che collaborano"), related_name="contributed_actions", blank=True
    )
    start_quarter = models.PositiveSmallIntegerField(_("trimestre di avvio"), choices=QUARTERS, default=1)
    due_quarter = models.PositiveSmallIntegerField(_("trimestre di conclusione"), choices=QUARTERS, default=4)
    budget = models.DecimalField(_("budget (€)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)])
    funding_source = models.CharField(
        _("fonte di finanziamento"), max_length=20, choices=FundingSource.choices, blank=True
    )
    expected_output = models.TextField(_("risultato atteso"), blank=True, max_length=2000)
    indicator = models.CharField(_("indicatore"), max_length=300, blank=True)
    status = models.CharField(_("stato"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    created_at = models.DateTimeField(_("creata il"), default=timezone.now)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)

    objects = AgendaActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("azione dell'agenda")
        verbose_name_plural = _("azioni dell'agenda")
        ordering = ["agenda", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_quarter__gte=1)
                & Q(start_quarter__lte=4)
                & Q(due_quarter__gte=1)
                & Q(due_quarter__lte=4),
                name="agenda_action_quarters_in_year",
            ),
            models.CheckConstraint(
                condition=Q(due_quarter__gte=F("start_quarter")), name="agenda_action_due_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="agenda_action_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"A{self.agenda.year}.{self.position}"

    @property
    def quarters_label(self) -> str:
        """ "II trimestre 2027" or "I–III trimestre 2027"."""
        roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
        year = self.agenda.year
        if self.start_quarter == self.due_quarter:
            return gettext("%(q)s trimestre %(year)s") % {"q": roman[self.start_quarter], "year": year}
        return gettext("%(start)s–%(due)s trimestre %(year)s") % {
            "start": roman[self.start_quarter],
            "due": roman[self.due_quarter],
            "year": year,
        }


def plan_years() -> list[int]:
    """The years the plan covers (``PSM_PLAN_YEARS``, e.g. "2027-2029"): each may have its agenda."""
    years = [int(found) for found in re.findall(r"\d{4}", settings.PSM_PLAN_YEARS)]
    if not years:
        return []
    return list(range(min(years), max(years) + 1))
