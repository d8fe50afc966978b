"""The offices' project portfolios: projects with their funding, history and imports, and proposals."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from phases.models import Objective
from projects import rules
from projects.choices import FundingSource, Origin, Priority, Publication, Status

MONEY = {"max_digits": 15, "decimal_places": 2}


def office_scoped(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows of an office's work ``user`` may handle: all for the PSM team, their own office's
    for office staff, none for anybody else."""
    if user.is_authenticated and user.is_team:
        return queryset
    if user.is_authenticated and user.is_office_staff:
        return queryset.filter(office_id=user.office_id)
    return queryset.none()


class ProjectQuerySet(models.QuerySet):
    def published(self) -> ProjectQuerySet:
        return self.filter(publication=Publication.PUBLISHED)

    def of_office(self, office) -> ProjectQuerySet:
        return self.filter(office=office)

    def visible_to(self, user) -> ProjectQuerySet:
        """Published projects for everybody; drafts only for their own office's staff and the team."""
        if user.is_authenticated and user.is_team:
            return self
        if user.is_authenticated and user.is_office_staff:
            return self.filter(Q(publication=Publication.PUBLISHED) | Q(office_id=user.office_id))
        return self.published()

    def editable_by(self, user) -> ProjectQuerySet:
        return office_scoped(self, user)

    def for_municipality(self, municipality) -> ProjectQuerySet:
        through = Project.municipalities.through
        return self.filter(Exists(through.objects.filter(project_id=OuterRef("pk"), municipality_id=municipality.pk)))

    def funded_by(self, source: str) -> ProjectQuerySet:
        return self.filter(Exists(FundingLine.objects.filter(project_id=OuterRef("pk"), source=source)))

    def search(self, text: str) -> ProjectQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(cup__iexact=text) | Q(local_code__iexact=text)
        )

    def funding_total(self) -> Decimal:
        """Total of the funding lines of this set, summed by the database (one query)."""
        total = FundingLine.objects.filter(project__in=self.values("pk")).aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0")

    def for_listing(self) -> ProjectQuerySet:
        return self.select_related("office").prefetch_related(
            models.Prefetch("municipalities", queryset=Municipality.objects.only("istat_code", "name", "slug"))
        )

    def with_objectives(self) -> ProjectQuerySet:
        return self.prefetch_related(
            models.Prefetch("objectives", queryset=Objective.objects.only("pk", "code", "title", "sort_key"))
        )

    def serving(self, objectives) -> ProjectQuerySet:
        """Projects serving any of ``objectives`` (a list or a queryset of objectives), each project once."""
        through = Project.objectives.through
        return self.filter(pk__in=through.objects.filter(objective__in=objectives).values("project_id"))


class Project(models.Model):
    title = models.CharField(_("titolo"), max_length=300)
    summary = models.TextField(_("sintesi"), blank=True, max_length=1000)
    description = models.TextField(_("descrizione"), blank=True, max_length=20000)
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("ufficio"), on_delete=models.PROTECT, related_name="projects"
    )
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        blank=True,
        validators=[rules.cup_validator],
        help_text=_("Codice Unico di Progetto: facoltativo solo per le idee."),
    )
    local_code = models.CharField(
        _("codice locale"), max_length=60, blank=True, help_text=_("Il codice che l'ufficio usa per il progetto.")
    )
    municipalities = models.ManyToManyField(
        "municipalities.Municipality", verbose_name=_("comuni interessati"), related_name="projects", blank=True
    )
    whole_area = models.BooleanField(_("intera area metropolitana"), default=False)
    objectives = models.ManyToManyField(
        "phases.Objective",
        verbose_name=_("obiettivi specifici"),
        related_name="projects",
        blank=True,
        limit_choices_to={"level": 3},
        help_text=_("Gli obiettivi specifici del piano a cui il progetto contribuisce."),
    )
    status = models.CharField(_("stato"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    total_cost = models.DecimalField(
        _("costo totale (€)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    planned_start = models.DateField(_("inizio previsto"), null=True, blank=True)
    planned_end = models.DateField(_("fine prevista"), null=True, blank=True)
    actual_start = models.DateField(_("inizio effettivo"), null=True, blank=True)
    actual_end = models.DateField(_("fine effettiva"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priorità"), choices=Priority.choices, default=Priority.MEDIUM)
    origin = models.CharField(_("origine"), max_length=20, choices=Origin.choices, default=Origin.PORTFOLIO)
    publication = models.CharField(
        _("pubblicazione"), max_length=10, choices=Publication.choices, default=Publication.DRAFT
    )
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True)
    created_at = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)
    # Every write through the ORM moves it (the catalogue's cache fingerprint relies on it); the
    # import's bulk writes set it explicitly.
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True, db_index=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("progetto")
        verbose_name_plural = _("progetti")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cup"],
                condition=~Q(cup=""),
                name="project_cup_unique_when_present",
                violation_error_message=_("Esiste già un progetto con questo CUP."),
            ),
            models.UniqueConstraint(
                fields=["office", "local_code"],
                condition=~Q(local_code=""),
                name="project_local_code_unique_in_office",
                violation_error_message=_("L'ufficio ha già un progetto con questo codice locale."),
            ),
            models.CheckConstraint(condition=Q(cup="") | Q(cup__regex=rules.CUP_PATTERN), name="project_cup_format"),
            models.CheckConstraint(condition=~Q(cup="") | Q(status="idea"), name="project_cup_required_unless_idea"),
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True) | Q(total_cost__gte=0), name="project_total_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="project_actual_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["publication", "title"], name="project_pub_title_idx"),
            models.Index(fields=["publication", "total_cost"], name="project_pub_cost_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cup} — {self.title}" if self.cup else self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    def clean(self) -> None:
        breaches = [rules.cup_required(self.cup, self.status), *rules.dates_in_order(vars(self))]
        errors = {breach.field: breach.message for breach in breaches if breach}
        if errors:
            raise ValidationError(errors)


class FundingLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_lines")
    source = models.CharField(_("fonte"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("importo (€)"), **MONEY, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("linea di finanziamento")
        verbose_name_plural = _("linee di finanziamento")
        ordering = ["project", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="funding_line_one_per_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.amount}"


class ChangeKind(models.TextChoices):
    CREATED = "created", _("creato")
    UPDATED = "updated", _("modificato")
    IMPORTED = "imported", _("importato da file")
    PUBLISHED = "published", _("pubblicato")
    UNPUBLISHED = "unpublished", _("ritirato dalla pubblicazione")
    MERGED = "merged", _("proposta unita")


class ProjectChange(models.Model):
    """One entry of a project's history: who, when, and each field's value before and after."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autore"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("quando"), default=timezone.now)
    kind = models.CharField(_("tipo"), max_length=20, choices=ChangeKind.choices)
    changes = models.JSONField(_("modifiche"), default=dict, blank=True)  # {field label: [before, after]}
    note = models.CharField(_("nota"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("modifica del progetto")
        verbose_name_plural = _("storico delle modifiche")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


class ImportState(models.TextChoices):
    VALIDATING = "validating", _("in verifica")
    PREVIEW = "preview", _("anteprima pronta")
    INVALID = "invalid", _("errori da correggere")
    IMPORTING = "importing", _("importazione in corso")
    DONE = "done", _("importato")
    FAILED = "failed", _("non importato")


IMPORT_SUFFIXES = {".csv", ".xlsx", ".txt"}


def import_upload_path(instance, filename: str) -> str:
    """A name of ours: the uploader's (kept in ``original_name``) may be empty once cleaned, or say ``.html``;
    the importer reads the content, never the name."""
    suffix = Path(filename).suffix.lower()
    return f"projects/imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix if suffix in IMPORT_SUFFIXES else ''}"


class ProjectImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectImportQuerySet:
        """The PSM team sees every import; office staff their own office's; nobody else any."""
        return office_scoped(self, user)


class ProjectImport(models.Model):
    """One uploaded spreadsheet: checked first (preview), written only when the user confirms."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("ufficio"), on_delete=models.CASCADE, related_name="imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("caricato da"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=import_upload_path)
    original_name = models.CharField(_("nome del file"), max_length=255)
    state = models.CharField(_("stato"), max_length=12, choices=ImportState.choices, default=ImportState.VALIDATING)
    total_rows = models.PositiveIntegerField(_("righe"), default=0)
    processed_rows = models.PositiveIntegerField(_("righe elaborate"), default=0)
    to_create = models.PositiveIntegerField(_("da creare"), default=0)
    to_update = models.PositiveIntegerField(_("da aggiornare"), default=0)
    errors = models.JSONField(_("errori"), default=list, blank=True)  # [{"row", "column", "message"}]
    preview = models.JSONField(_("anteprima"), default=list, blank=True)  # first rows: {"row", "action", ...}
    notes = models.JSONField(_("avvisi"), default=list, blank=True)  # e.g. columns ignored, format recognised
    created_at = models.DateTimeField(_("caricato il"), default=timezone.now)
    finished_at = models.DateTimeField(_("concluso il"), null=True, blank=True)
    # Who holds the running work (each worker that takes it writes a fresh token: only the latest may finish)
    # and since when it was handed out; a claim older than PROJECTS_IMPORT_STALE_SECONDS has lost its worker,
    # and the sweeper hands the import out again (``imports_resume_stale``).
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    resumes = models.PositiveSmallIntegerField(_("riprese dopo un'interruzione"), default=0)
    resumed_at = models.DateTimeField(_("ultima ripresa"), null=True, blank=True)

    objects = ProjectImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("importazione di progetti")
        verbose_name_plural = _("importazioni di progetti")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("projects:import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.state in (ImportState.VALIDATING, ImportState.IMPORTING)

    @property
    def status_label(self) -> str:
        """The state as the status page says it; a running import resumed by the sweeper says so."""
        if self.is_running and self.resumed_at:
            return gettext("%(state)s — lavoro ripreso dopo un'interruzione") % {"state": self.get_state_display()}
        return self.get_state_display()


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("inviata")
    ACCEPTED = "accepted", _("accolta: diventa un progetto")
    MERGED = "merged", _("unita a un progetto esistente")
    DECLINED = "declined", _("non accolta")


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        if user.is_authenticated and user.is_team:
            return self
        if user.is_authenticated and (user.is_mayor or user.is_stakeholder):
            return self.filter(proposer=user)
        return self.none()


class Proposal(models.Model):
    """A project proposed in phase 2 by a mayor (for the municipality) or a stakeholder (for the area)."""

    title = models.CharField(_("titolo"), max_length=300)
    description = models.TextField(_("descrizione"), max_length=5000)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proponente"), on_delete=models.PROTECT, related_name="proposals"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    estimated_cost = models.DecimalField(
        _("costo stimato (€)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    state = models.CharField(_("esito"), max_length=10, choices=ProposalState.choices, default=ProposalState.SUBMITTED)
    reason = models.TextField(_("motivazione"), blank=True, max_length=2000)
    project = models.ForeignKey(
        Project,
        verbose_name=_("progetto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    created_at = models.DateTimeField(_("inviata il"), default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposta di progetto")
        verbose_name_plural = _("proposte di progetto")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(state="declined") | ~Q(reason=""), name="proposal_declined_has_reason"),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "merged"]) | Q(project__isnull=False),
                name="proposal_accepted_has_project",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == ProposalState.SUBMITTED

    @property
    def area_label(self) -> str:
        return self.municipality.name if self.municipality_id else str(_("intera area metropolitana"))
