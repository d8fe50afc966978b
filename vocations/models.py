"""Vocations of the territory, the consultation rounds on them, the published priorities and the scenarios."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases.models import DocumentKind, ReviewedVersionManager, VisionVersion

MAX_PRIORITIES = 3
SCORES = range(1, 6)


class VocationQuerySet(models.QuerySet):
    def for_office(self, office_id) -> VocationQuerySet:
        """The vocations of an office's field."""
        return self.filter(offices=office_id)


class Vocation(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("nome"), max_length=150, unique=True)
    description = models.TextField(_("descrizione"))
    objectives = models.ManyToManyField(
        "phases.Objective", blank=True, related_name="vocations", verbose_name=_("obiettivi generali collegati")
    )
    offices = models.ManyToManyField(
        "accounts.Office", blank=True, related_name="vocations", verbose_name=_("uffici competenti")
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)

    objects = VocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vocazione")
        verbose_name_plural = _("vocazioni")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("vocations:detail", args=[self.slug])


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("in preparazione")
    OPEN = "open", _("aperta")
    CLOSED = "closed", _("chiusa")


class RoundQuerySet(models.QuerySet):
    def current_open(self) -> Round | None:
        return self.filter(status=RoundStatus.OPEN).first()

    def latest_closed(self) -> Round | None:
        return self.filter(status=RoundStatus.CLOSED).order_by("-closed_at", "-pk").first()


class Round(models.Model):
    """A consultation round on the vocations: the team opens it, mayors and offices answer, the team closes it."""

    title = models.CharField(_("titolo"), max_length=200)
    status = models.CharField(_("stato"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    deadline = models.DateTimeField(_("termine per le risposte"), null=True, blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    opened_at = models.DateTimeField(_("aperta il"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultazione sulle vocazioni")
        verbose_name_plural = _("consultazioni sulle vocazioni")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="open"), name="vocations_one_open_round"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED

    def open(self, moment=None) -> None:
        self.status, self.opened_at = RoundStatus.OPEN, moment or timezone.now()

    def close(self, moment=None) -> None:
        self.status, self.closed_at = RoundStatus.CLOSED, moment or timezone.now()


class AnswerQuerySet(models.QuerySet):
    def of_municipalities(self) -> AnswerQuerySet:
        return self.filter(municipality__isnull=False)


class Answer(models.Model):
    """One comune's or one office's answer in a round (a constraint: never two)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers", verbose_name=_("consultazione"))
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vocation_answers",
        verbose_name=_("comune"),
    )
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vocation_answers",
        verbose_name=_("ufficio"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autore")
    )
    created_at = models.DateTimeField(_("inviata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("risposta sulle vocazioni")
        verbose_name_plural = _("risposte sulle vocazioni")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, office__isnull=True)
                | Q(municipality__isnull=True, office__isnull=False),
                name="vocations_answer_one_speaker",
            ),
            models.UniqueConstraint(
                fields=["round", "municipality"],
                condition=Q(municipality__isnull=False),
                name="vocations_one_answer_per_comune",
            ),
            models.UniqueConstraint(
                fields=["round", "office"], condition=Q(office__isnull=False), name="vocations_one_answer_per_office"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.municipality or self.office}"


class Rating(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("risposta"))
    vocation = models.ForeignKey(
        Vocation, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("vocazione")
    )
    score = models.PositiveSmallIntegerField(_("rilevanza (1–5)"))
    priority = models.BooleanField(_("prioritaria"), default=False)
    reason = models.CharField(_("motivazione"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("valutazione")
        verbose_name_plural = _("valutazioni")
        constraints = [
            models.UniqueConstraint(fields=["answer", "vocation"], name="vocations_one_rating_per_vocation"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="vocations_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.vocation}: {self.score}"


class Contribution(models.Model):
    """A stakeholder's reasoned contribution in a round, on a vocation or on the whole."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("consultazione")
    )
    vocation = models.ForeignKey(
        Vocation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vocazione")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autore")
    )
    text = models.TextField(_("contributo"), max_length=3000)
    created_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("contributo")
        verbose_name_plural = _("contributi")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class PriorityQuerySet(models.QuerySet):
    def of_territory(self) -> PriorityQuerySet:
        return self.filter(area__isnull=True)


class Priority(models.Model):
    """A priority vocation published by the team, of one area or (area empty) of the whole territory."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("consultazione")
    )
    area = models.ForeignKey(
        "municipalities.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="priority_vocations",
        verbose_name=_("ambito territoriale"),
    )
    vocation = models.ForeignKey(
        Vocation, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("vocazione")
    )
    rationale = models.TextField(_("motivazione"), max_length=3000)
    evidence = models.TextField(
        _("fonti"),
        blank=True,
        max_length=3000,
        help_text=_("Un collegamento per riga: risposte, questionario, istanze, tavoli."),
    )
    published_at = models.DateTimeField(_("pubblicata il"), default=timezone.now)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("vocazione prioritaria")
        verbose_name_plural = _("vocazioni prioritarie")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "area", "vocation"], condition=Q(area__isnull=False), name="vocations_priority_area"
            ),
            models.UniqueConstraint(
                fields=["round", "vocation"], condition=Q(area__isnull=True), name="vocations_priority_territory"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vocation} ({self.area or _('territorio')})"

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip().startswith(("http", "/"))]


class Scenario(models.Model):
    """A future development scenario: narrative, assumptions, priority vocations and indicator targets."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("titolo"), max_length=150, unique=True)
    narrative = models.TextField(_("racconto"))
    assumptions = models.TextField(_("ipotesi"))
    vocations = models.ManyToManyField(
        Vocation, blank=True, related_name="scenarios", verbose_name=_("vocazioni prioritarie")
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)
    is_reference = models.BooleanField(_("scenario di riferimento"), default=False, editable=False)
    chosen_at = models.DateTimeField(_("scelto il"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenari")
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_reference"], condition=Q(is_reference=True), name="vocations_one_reference_scenario"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="targets", verbose_name=_("scenario"))
    indicator = models.ForeignKey(
        "phases.Indicator", on_delete=models.PROTECT, related_name="scenario_targets", verbose_name=_("indicatore")
    )
    value = models.DecimalField(_("valore all'orizzonte del piano"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("valore obiettivo dello scenario")
        verbose_name_plural = _("valori obiettivo dello scenario")
        constraints = [models.UniqueConstraint(fields=["scenario", "indicator"], name="vocations_one_target")]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.indicator} = {self.value}"


class Reminder(models.Model):
    """One reminder e-mail to a mayor about a round; the unique (user, day) makes "at most one a day" hold."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("sindaco")
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("consultazione")
    )
    day = models.DateField(_("giorno"))
    sent_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("promemoria")
        verbose_name_plural = _("promemoria")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="vocations_one_reminder_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day:%d/%m/%Y}"


class ScenarioReview(VisionVersion):
    """A version of the team's framing of the development scenarios, reviewed like the Vision (draft → open to the
    positions of offices and mayors → closed, ``phases.services``): its text presents the scenarios on which mayors
    and offices take a position; the reference scenario stays the team's audited act (``scenario_choose_reference``)."""

    objects = ReviewedVersionManager(DocumentKind.SCENARIOS)

    class Meta:
        proxy = True
        verbose_name = _("versione degli scenari in consultazione")
        verbose_name_plural = _("versioni degli scenari in consultazione")

    def __str__(self) -> str:
        return gettext("Scenari di sviluppo, versione %(number)s") % {"number": self.number}
