"""The plan documents (the preliminary proposal and the final plan, rendered as PDF versions) and the
mayors' and offices' discussion of the published proposal.

A document is never overwritten: every render is a new version of its kind, with
the frozen snapshot of the data it was rendered from; the team publishes the ones
it chooses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases.phases import FEATURE_ROLES, Feature
from phases.speakers import speaker_for
from psm_portal.lib.params import as_int


class PlanKind(models.TextChoices):
    DRAFT = "draft", _("Proposta preliminare di piano")
    FINAL = "final", _("Piano finale")
    ANNUAL = "annual", _("Relazione annuale di attuazione")


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("in coda")
    RENDERING = "rendering", _("in preparazione")
    READY = "ready", _("pronto")
    FAILED = "failed", _("non riuscito")
    # The worker found the same content as an earlier version: no new PDF, see ``same_as``.
    SAME = "same", _("uguale a una versione precedente")


class PlanDocumentQuerySet(models.QuerySet):
    def published(self) -> PlanDocumentQuerySet:
        return self.filter(status=PlanStatus.READY, published_at__isnull=False).order_by("-published_at", "-pk")

    def of_kind(self, kind: str) -> PlanDocumentQuerySet:
        return self.filter(kind=kind)

    def for_listing(self) -> PlanDocumentQuerySet:
        """With who asked for and published each; the snapshot (megabytes) is never loaded, nor the twin's."""
        return self.select_related("requested_by", "published_by", "same_as").defer("snapshot", "same_as__snapshot")

    def discussed_draft(self) -> PlanDocument | None:
        """The preliminary proposal under discussion: the latest published one."""
        return self.for_listing().of_kind(PlanKind.DRAFT).published().first()

    def reusable(self) -> PlanDocumentQuerySet:
        """Documents that a request over the same data may return instead of rendering again."""
        return self.exclude(status__in=[PlanStatus.FAILED, PlanStatus.SAME])


class PlanDocument(models.Model):
    kind = models.CharField(_("documento"), max_length=10, choices=PlanKind.choices)
    version = models.PositiveIntegerField(_("versione"))
    status = models.CharField(_("stato"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    error = models.TextField(_("errore"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    # Who holds the work now: each claim writes a fresh token, only its holder may finish.
    claim = models.CharField(max_length=32, blank=True, editable=False)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("richiesto da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("richiesto il"))
    started_at = models.DateTimeField(_("iniziato il"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminato il"), null=True, blank=True)
    # Handed out again by the sweeper after its worker died (``plan_resume_stale``): how often, the last time.
    resumes = models.PositiveSmallIntegerField(_("riprese dopo un'interruzione"), default=0)
    resumed_at = models.DateTimeField(_("ultima ripresa"), null=True, blank=True)

    # What the request saw (``plan.sections.fingerprint``), then what the worker froze.
    data_fingerprint = models.CharField(_("impronta rapida dei dati"), max_length=64, blank=True, db_index=True)
    snapshot = models.JSONField(_("dati del documento"), null=True, blank=True)
    content_hash = models.CharField(_("impronta dei dati"), max_length=64, blank=True, db_index=True)
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("uguale alla versione"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    file = models.FileField(_("PDF"), upload_to="piano/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("dimensione (byte)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pagine"), null=True, blank=True)

    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pubblicato da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento del piano")
        verbose_name_plural = _("documenti del piano")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="plandocument_unique_version"),
            # One live document per kind and data: a second request over the same data gets this one.
            models.UniqueConstraint(
                fields=["kind", "data_fingerprint"],
                condition=~models.Q(status__in=["failed", "same"]) & ~models.Q(data_fingerprint=""),
                name="plandocument_unique_live_fingerprint",
            ),
            models.UniqueConstraint(
                fields=["kind", "content_hash"],
                condition=~models.Q(status__in=["failed", "same"]) & ~models.Q(content_hash=""),
                name="plandocument_unique_live_data",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="plandocument_progress_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("plan:progress", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == PlanStatus.READY

    @property
    def is_done(self) -> bool:
        return self.status in (PlanStatus.READY, PlanStatus.FAILED, PlanStatus.SAME)

    @property
    def status_label(self) -> str:
        """The status as the progress page says it; a document resumed by the sweeper says so until it ends."""
        if not self.is_done and self.resumed_at:
            return gettext("%(state)s — lavoro ripreso dopo un'interruzione") % {"state": self.get_status_display()}
        return self.get_status_display()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def approval(self):
        """The council's deliberation that approved this version (the latest act, not corrected), or None."""
        return self.deliberations.approving().first()

    @property
    def filename(self) -> str:
        stem = {PlanKind.DRAFT: "proposta-preliminare", PlanKind.ANNUAL: "relazione-annuale-attuazione"}.get(
            self.kind, "piano-finale"
        )
        return f"psm-messina-{stem}-v{self.version}.pdf"


class DraftSection(models.TextChoices):
    """The sections of the preliminary proposal that mayors and offices comment on."""

    INTRO = "intro", _("Introduzione e fasi del processo")
    VISION = "vision", _("La Visione")
    OBJECTIVES = "objectives", _("Obiettivi e indicatori")
    PROJECTS = "projects", _("I progetti per obiettivo specifico")
    QUESTIONNAIRE = "questionnaire", _("I risultati del questionario")
    MAPS = "maps", _("Il territorio: partecipazione e progetti")
    ANNEX = "annex", _("Allegato: i 108 comuni")


class PlanCommentQuerySet(models.QuerySet):
    def thread(self, *, document, section: str, municipality_id=None, office_id=None) -> PlanCommentQuerySet:
        """One thread: the comments of one municipality, or one office, on one section of one document."""
        return self.filter(document=document, section=section, municipality_id=municipality_id, office_id=office_id)

    def of_participant(self, user) -> PlanCommentQuerySet:
        """Every thread of the user's municipality (mayor) or office, with the team's replies."""
        participant = PlanComment.participant_of(user)
        return self.filter(**participant) if participant else self.none()

    def from_participants(self) -> PlanCommentQuerySet:
        """The comments of mayors and offices, without the PSM team's replies."""
        return self.filter(from_team=False)

    def in_thread_order(self) -> PlanCommentQuerySet:
        """Thread after thread (comuni by name, then offices), each from its first comment."""
        return self.select_related("author", "municipality", "office").order_by(
            "municipality__name", "office__name", "created_at", "pk"
        )

    def by_section(self) -> dict[str, list[PlanComment]]:
        """The comments grouped by section, in their order (one query)."""
        grouped: dict[str, list[PlanComment]] = {}
        for comment in self.select_related("author"):
            grouped.setdefault(comment.section, []).append(comment)
        return grouped

    def threads(self) -> list[dict]:
        """The comments, read in thread order, as ``[{"key", "first", "comments"}]`` (a page of them too)."""
        threads: list[dict] = []
        for comment in self:
            if not threads or threads[-1]["key"] != comment.thread_key:
                threads.append({"key": comment.thread_key, "first": comment, "comments": []})
            threads[-1]["comments"].append(comment)
        return threads

    def section_counts(self) -> dict[str, dict]:
        """Per section: comments, comuni and offices that commented, without the team's replies (one query)."""
        rows = (
            self.from_participants()
            .values("section")
            .annotate(
                comments=Count("pk"),
                municipalities=Count("municipality", distinct=True),
                offices=Count("office", distinct=True),
            )
            .order_by()
        )
        return {row["section"]: row for row in rows}

    def municipality_counts(self) -> dict[str, dict]:
        """Per comune (ISTAT code): its comments and the sections it commented on (one query)."""
        rows = (
            self.filter(municipality__isnull=False)
            .from_participants()
            .values("municipality")
            .annotate(comments=Count("pk"), sections=Count("section", distinct=True))
            .order_by()
        )
        return {row["municipality"]: row for row in rows}


class PlanComment(models.Model):
    """A comment in a thread on a section of the published draft; a thread belongs to a municipality or an office."""

    document = models.ForeignKey(
        PlanDocument, verbose_name=_("documento"), on_delete=models.PROTECT, related_name="comments"
    )
    section = models.CharField(_("sezione"), max_length=20, choices=DraftSection.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_comments",
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("ufficio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autore"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("commento"), max_length=4000)
    # A reply of the PSM team in the municipality's or office's thread.
    from_team = models.BooleanField(_("risposta del team PSM"), default=False)
    created_at = models.DateTimeField(_("scritto il"), auto_now_add=True)

    objects = PlanCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commento alla proposta preliminare")
        verbose_name_plural = _("commenti alla proposta preliminare")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(municipality__isnull=False, office__isnull=True))
                | (models.Q(municipality__isnull=True, office__isnull=False)),
                name="plancomment_one_participant",
            )
        ]
        indexes = [
            models.Index(fields=["document", "section", "municipality", "office"], name="plancomment_thread_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()} — {self.municipality or self.office}"

    @staticmethod
    def participant_of(user) -> dict | None:
        """Whose threads the user writes in: ``{"municipality_id": ...}`` for a mayor with a comune,
        ``{"office_id": ...}`` for office staff with an office, None for everybody else.

        Who takes part is declared once, in ``phases.phases.FEATURE_ROLES``.

        ``phases.speakers.speaker_for`` decides who speaks for a comune or an office (active users only),
        as it does for the positions on the Vision."""
        if getattr(user, "role", None) not in FEATURE_ROLES[Feature.COMMENT_DRAFT_PLAN]:
            return None
        speaker = speaker_for(user)
        if speaker is None:
            return None
        field = "municipality_id" if speaker.kind == "comune" else "office_id"
        return {field: speaker.subject.pk}

    @property
    def thread_key(self) -> str:
        """The thread, as the reply form names it: ``comune-083048`` or ``ufficio-3``."""
        return f"comune-{self.municipality_id}" if self.municipality_id else f"ufficio-{self.office_id}"

    @staticmethod
    def participant_of_thread(key: str) -> dict | None:
        """The reverse of ``thread_key``: ``{"municipality_id": "083048"}``, ``{"office_id": 3}``, or None."""
        kind, _sep, value = (key or "").partition("-")
        if as_int(value) is None:
            return None
        if kind == "comune":
            return {"municipality_id": value}  # ISTAT codes keep their leading zero
        if kind == "ufficio":
            return {"office_id": as_int(value)}
        return None
