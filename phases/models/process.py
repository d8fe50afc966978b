"""The models of the process: the phases and their dates, the Vision's versions and their review, the objectives
tree with its indicators, the positions of comuni and offices, and the reminders sent to mayors."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phases.phases import PHASE_FEATURES, PhaseKey
from phases.reviews import review_kind
from phases.speakers import speaker_for
from psm_portal.accounts.permissions import is_team
from psm_portal.lib.uploads import private_upload_path


class Phase(models.Model):
    key = models.CharField(_("fase"), max_length=20, choices=PhaseKey.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("ordine"))
    description = models.TextField(_("descrizione"))
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"))

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("fasi")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def name(self) -> str:
        return self.get_key_display()

    @property
    def features(self) -> frozenset[str]:
        return PHASE_FEATURES.get(self.key, frozenset())

    def is_active(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.starts_at <= moment < self.ends_at

    def close(self, moment=None) -> None:
        """End the phase now (the PSM team's manual override); the caller saves and audits."""
        self.ends_at = moment or timezone.now()

    def extend(self, ends_at) -> None:
        self.ends_at = ends_at

    def snapshot(self) -> dict:
        return {"starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat()}


# --- Vision -----------------------------------------------------------------------------------------------------


class VisionStatus(models.TextChoices):
    DRAFT = "draft", _("bozza")
    OPEN = "open", _("aperta alla consultazione")
    CLOSED = "closed", _("consultazione chiusa")
    ADOPTED = "adopted", _("adottata")


# A version's review is over: its positions are public.
REVIEWED = (VisionStatus.CLOSED, VisionStatus.ADOPTED)


class DocumentKind(models.TextChoices):
    """The documents reviewed by mayors and offices through versions and positions: the Vision, and the governance
    model of the plan's implementation (whose bodies and referents live in ``implementation``). Each kind numbers
    its versions on its own, has at most one version open and its positions are its own; ``phases.reviews`` says
    which phase opens its review and what the e-mails say."""

    VISION = "vision", _("Visione")
    GOVERNANCE = "governance", _("modello di governance")
    SCENARIOS = "scenarios", _("scenari di sviluppo")


class VisionVersionQuerySet(models.QuerySet):
    def published(self) -> VisionVersionQuerySet:
        """Versions everybody may read: all but drafts."""
        return self.exclude(status=VisionStatus.DRAFT)

    def open_for_review(self) -> VisionVersionQuerySet:
        return self.filter(status=VisionStatus.OPEN)

    def of_kind(self, kind: str) -> VisionVersionQuerySet:
        return self.filter(kind=kind)

    def reviewed(self) -> VisionVersionQuerySet:
        """Versions whose review is over (closed or adopted): their positions are public."""
        return self.filter(status__in=REVIEWED)

    def latest_reviewed(self) -> VisionVersion | None:
        return self.reviewed().order_by("-number").first()

    def current(self) -> VisionVersion | None:
        """The version shown on /visione/: the open one, else the latest adopted one."""
        return (
            self.filter(status__in=[VisionStatus.OPEN, VisionStatus.ADOPTED])
            .order_by(
                models.Case(models.When(status=VisionStatus.OPEN, then=0), default=1),
                "-number",
            )
            .first()
        )


class ReviewedVersionManager(models.Manager.from_queryset(VisionVersionQuerySet)):
    """The versions of one kind of document: ``VisionVersion.objects`` reads the Vision's only, so every read of the
    Vision stays as it was; ``VisionVersion.documents`` reads every kind."""

    def __init__(self, kind: str | None = None):
        super().__init__()
        self.kind = kind

    def get_queryset(self) -> VisionVersionQuerySet:
        queryset = super().get_queryset()
        return queryset.filter(kind=self.kind) if self.kind else queryset


class VisionVersion(models.Model):
    """One version of a reviewed document: the Vision (``kind`` vision) or another kind (``DocumentKind``). Its text
    is frozen once it leaves the draft state and kept for ever."""

    kind = models.CharField(
        _("documento"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.VISION, editable=False
    )
    number = models.PositiveIntegerField(_("versione"))
    title = models.CharField(_("titolo"), max_length=200)
    text = models.TextField(_("testo"), help_text=_("HTML semplice: paragrafi, titoli, elenchi, collegamenti."))
    status = models.CharField(_("stato"), max_length=10, choices=VisionStatus.choices, default=VisionStatus.DRAFT)
    deadline = models.DateTimeField(_("termine per le posizioni"), null=True, blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creata da"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("aperta il"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adottata il"), null=True, blank=True)
    # Claimed by the notification task so that mayors and offices are told once.
    notified_at = models.DateTimeField(_("notificata il"), null=True, blank=True, editable=False)

    objects = ReviewedVersionManager(DocumentKind.VISION)
    documents = ReviewedVersionManager()

    class Meta:
        verbose_name = _("versione della Visione")
        verbose_name_plural = _("versioni della Visione")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="one_version_number_per_kind"),
            models.UniqueConstraint(
                fields=["kind", "status"], condition=models.Q(status="open"), name="one_version_open_per_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="open") | models.Q(deadline__isnull=False),
                name="open_vision_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        if self.kind != DocumentKind.VISION:
            return _("%(document)s, versione %(number)s") % {
                "document": self.get_kind_display().capitalize(),
                "number": self.number,
            }
        return _("Visione, versione %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse(review_kind(self.kind).version_url, args=[self.number])

    @property
    def is_vision(self) -> bool:
        return self.kind == DocumentKind.VISION

    @property
    def is_draft(self) -> bool:
        return self.status == VisionStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == VisionStatus.OPEN

    def accepts_positions(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.is_open and self.deadline is not None and moment < self.deadline

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }

    # State changes: the caller (phases.services) validates, saves, audits and notifies.
    def open(self, deadline, moment=None) -> None:
        self.status = VisionStatus.OPEN
        self.deadline = deadline
        self.opened_at = moment or timezone.now()

    def close(self, moment=None) -> None:
        self.status = VisionStatus.CLOSED
        self.closed_at = moment or timezone.now()

    def adopt(self, moment=None) -> None:
        self.status = VisionStatus.ADOPTED
        self.adopted_at = moment or timezone.now()


# --- Objectives tree --------------------------------------------------------------------------------------------


class ObjectiveLevel(models.IntegerChoices):
    AXIS = 1, _("asse strategico")
    GENERAL = 2, _("obiettivo generale")
    SPECIFIC = 3, _("obiettivo specifico")


class ObjectiveQuerySet(models.QuerySet):
    def general(self) -> ObjectiveQuerySet:
        return self.filter(level=ObjectiveLevel.GENERAL)

    def in_tree_order(self) -> ObjectiveQuerySet:
        return self.order_by("sort_key")

    def as_tree(self) -> list[Objective]:
        """The axes, with their indicators; each node carries its children, in order, in ``tree_children``."""
        objectives = list(self.in_tree_order().prefetch_related("indicators"))
        by_id = {o.pk: o for o in objectives}
        roots = []
        for objective in objectives:
            objective.tree_children = []
        for objective in objectives:
            if objective.parent_id and objective.parent_id in by_id:
                by_id[objective.parent_id].tree_children.append(objective)
            elif objective.parent_id is None:
                roots.append(objective)
        return roots


class Objective(models.Model):
    """A node of the strategy tree: axis (A), general objective (A1), specific objective (A1.2)."""

    code = models.CharField(_("codice"), max_length=20, unique=True)
    level = models.PositiveSmallIntegerField(_("livello"), choices=ObjectiveLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("livello superiore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)
    title = models.CharField(_("titolo"), max_length=250)
    description = models.TextField(_("descrizione"), blank=True)
    # Zero-padded path of orders ("0001.0002"): the whole tree in one ordered query.
    sort_key = models.CharField(_("chiave di ordinamento"), max_length=60, editable=False, db_index=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level=1) & models.Q(parent__isnull=True))
                | (models.Q(level__in=[2, 3]) & models.Q(parent__isnull=False)),
                name="objective_parent_matches_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("phases:objective", args=[self.code])

    @property
    def is_general(self) -> bool:
        return self.level == ObjectiveLevel.GENERAL

    def compute_sort_key(self) -> str:
        own = f"{self.order:04d}"
        return f"{self.parent.sort_key}.{own}" if self.parent_id else own


class Indicator(models.Model):
    objective = models.ForeignKey(
        Objective, verbose_name=_("obiettivo"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicatore"), max_length=250)
    unit = models.CharField(_("unità di misura"), max_length=50, blank=True)
    baseline = models.DecimalField(_("valore di partenza"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("obiettivo"), max_digits=14, decimal_places=2, null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("anno obiettivo"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)

    class Meta:
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")
        ordering = ["objective", "order", "pk"]

    def __str__(self) -> str:
        return self.name


# --- Positions --------------------------------------------------------------------------------------------------


class Stance(models.TextChoices):
    AGREE = "agree", _("d'accordo")
    AGREE_WITH_CHANGES = "changes", _("d'accordo con modifiche")
    DISAGREE = "disagree", _("in disaccordo")


# A stance that asks for changes says which: the comment is required (the form and the service ask this).
STANCES_NEEDING_COMMENT = frozenset({Stance.AGREE_WITH_CHANGES, Stance.DISAGREE})


def position_comment_error(stance: str, comment: str) -> str:
    """The Italian message when ``stance`` needs a comment and ``comment`` is empty, else ``""``."""
    if stance in STANCES_NEEDING_COMMENT and not (comment or "").strip():
        return _("Scrivi nel commento che cosa andrebbe cambiato: serve per «%(stance)s».") % {
            "stance": Stance(stance).label
        }
    return ""


def position_upload_to(instance, filename: str) -> str:
    # A named function, not a factory's closure: migration 0003 refers to it by this name.
    return private_upload_path("positions", filename)


class PositionQuerySet(models.QuerySet):
    def for_version(self, version) -> PositionQuerySet:
        return self.filter(version=version)

    def on_vision(self) -> PositionQuerySet:
        """Positions on the Vision's versions (not on another kind of reviewed document)."""
        return self.filter(version__kind=DocumentKind.VISION)

    def readable_by(self, user) -> PositionQuerySet:
        """The positions ``user`` reads in the reserved area, documents included: one rule for the list of a comune's
        or an office's positions and for downloading a document. The team reads every one, a comune or an office its
        own, the council those of reviews that are over (their stances and comments are public by then); nobody else
        any."""
        if is_team(user):
            return self
        speaker = speaker_for(user)
        if speaker is not None:
            return self.filter(speaker.filter())
        if getattr(user, "is_authenticated", False) and user.is_active and user.is_council:
            return self.filter(version__status__in=REVIEWED)
        return self.none()

    def of_municipality(self, municipality) -> PositionQuerySet:
        return self.filter(municipality=municipality)


class Position(models.Model):
    """What a municipality or an office thinks of the Vision (objective empty) or of one general objective."""

    version = models.ForeignKey(
        VisionVersion, verbose_name=_("versione"), on_delete=models.PROTECT, related_name="positions"
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("obiettivo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("comune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("ufficio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    stance = models.CharField(_("posizione"), max_length=10, choices=Stance.choices)
    comment = models.TextField(_("commento"), blank=True, max_length=5000)
    attachment = models.FileField(_("documento"), upload_to=position_upload_to, blank=True, max_length=200)
    attachment_name = models.CharField(_("nome del documento"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autore"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("data"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ultima modifica"), auto_now=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("posizione")
        verbose_name_plural = _("posizioni")
        ordering = ["version", "objective__sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(municipality__isnull=False) & models.Q(office__isnull=True))
                | (models.Q(municipality__isnull=True) & models.Q(office__isnull=False)),
                name="position_has_one_subject",
            ),
            models.UniqueConstraint(
                fields=["version", "municipality"],
                condition=models.Q(objective__isnull=True, municipality__isnull=False),
                name="one_vision_position_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["version", "office"],
                condition=models.Q(objective__isnull=True, office__isnull=False),
                name="one_vision_position_per_office",
            ),
            models.UniqueConstraint(
                fields=["version", "objective", "municipality"],
                condition=models.Q(objective__isnull=False, municipality__isnull=False),
                name="one_objective_position_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["version", "objective", "office"],
                condition=models.Q(objective__isnull=False, office__isnull=False),
                name="one_objective_position_per_office",
            ),
        ]

    def __str__(self) -> str:
        target = self.objective.code if self.objective_id else _("Visione")
        return f"{self.subject} — {target}: {self.get_stance_display()}"

    @property
    def subject(self):
        return self.municipality if self.municipality_id else self.office


class Reminder(models.Model):
    """One reminder e-mail to a mayor; the unique (user, day) makes "at most one a day" hold whatever is clicked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sindaco"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        VisionVersion, verbose_name=_("versione"), on_delete=models.CASCADE, related_name="reminders"
    )
    day = models.DateField(_("giorno"))
    sent_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("promemoria")
        verbose_name_plural = _("promemoria")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_reminder_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day:%d/%m/%Y}"
