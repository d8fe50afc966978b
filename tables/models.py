"""Working tables (tavoli di lavoro): the team's thematic tables of phase 2 and the final comparison table of phase
3, their members (comuni, offices, stakeholder organisations), sessions with agenda, documents, invitations,
answers and attendance, the minutes, the members' written contributions and the outcomes that feed the plan.

A member is an organisation, never a person: a comune speaks through its mayor (or delegate), an office through its
staff, a stakeholder organisation through the stakeholder users who belong to it. Public pages show organisations
only.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from psm_portal.accounts.models import Role
from psm_portal.lib.uploads import private_upload_path


class TablePhase(models.TextChoices):
    AGENDA = "agenda", _("Agenda strategica (fase 2)")
    FINAL = "final", _("Tavolo finale di confronto (fase 3)")


class WorkingTableQuerySet(models.QuerySet):
    def of_member(self, user) -> WorkingTableQuerySet:
        """The tables ``user`` takes part in through their comune, office or organisation."""
        return self.filter(pk__in=Member.objects.of_user(user).values("table_id"))

    def coordinated_by(self, user) -> WorkingTableQuerySet:
        if not user.is_authenticated:
            return self.none()
        query = Q(coordinator_user=user)
        if user.role == Role.OFFICE and user.office_id:
            query |= Q(coordinator_office_id=user.office_id)
        return self.filter(query)


class WorkingTable(models.Model):
    """A thematic working table with its coordinator (a team member or an office) and its members."""

    title = models.CharField(_("titolo"), max_length=200)
    theme = models.CharField(_("tema"), max_length=200)
    description = models.TextField(_("descrizione"), max_length=5000, blank=True)
    phase = models.CharField(_("fase"), max_length=10, choices=TablePhase.choices, default=TablePhase.AGENDA)
    objectives = models.ManyToManyField(
        "phases.Objective", verbose_name=_("obiettivi generali"), blank=True, related_name="working_tables"
    )
    coordinator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinatore (team PSM)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_tables",
    )
    coordinator_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("ufficio coordinatore"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_tables",
    )
    created_at = models.DateTimeField(_("creato il"), default=timezone.now)
    # The public calendar's secret part is not needed: the table's sessions are public.

    objects = WorkingTableQuerySet.as_manager()

    class Meta:
        verbose_name = _("tavolo di lavoro")
        verbose_name_plural = _("tavoli di lavoro")
        ordering = ["phase", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(coordinator_user__isnull=False) & Q(coordinator_office__isnull=True))
                | (Q(coordinator_user__isnull=True) & Q(coordinator_office__isnull=False)),
                name="table_one_coordinator",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tables:table", args=[self.pk])

    @property
    def coordinator_label(self) -> str:
        # Public pages name the office or «Team PSM», never the person.
        return self.coordinator_office.name if self.coordinator_office_id else str(_("Team PSM"))

    def is_coordinator(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.coordinator_user_id and self.coordinator_user_id == user.pk:
            return True
        return bool(
            self.coordinator_office_id and user.role == Role.OFFICE and user.office_id == self.coordinator_office_id
        )

    def can_manage(self, user) -> bool:
        """The coordinator and the team record attendance, minutes and outcomes, and answer contributions."""
        return bool(user.is_authenticated and (user.is_team or self.is_coordinator(user)))


class MemberKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("comune")
    OFFICE = "office", _("ufficio")
    ORGANISATION = "organisation", _("organizzazione")


class MemberQuerySet(models.QuerySet):
    def of_user(self, user) -> MemberQuerySet:
        """The memberships that speak for ``user``: their comune (mayor), office (staff), organisation (stakeholder)."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.MAYOR and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        if user.role == Role.OFFICE and user.office_id:
            return self.filter(office_id=user.office_id)
        if user.role == Role.STAKEHOLDER and user.organisation.strip():
            return self.filter(kind=MemberKind.ORGANISATION, organisation__iexact=user.organisation.strip())
        return self.none()


class Member(models.Model):
    table = models.ForeignKey(WorkingTable, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("tipo"), max_length=12, choices=MemberKind.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_memberships",
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("ufficio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_memberships",
    )
    organisation = models.CharField(_("organizzazione"), max_length=200, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membro del tavolo")
        verbose_name_plural = _("membri del tavolo")
        ordering = ["table", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="municipality") & Q(municipality__isnull=False) & Q(office__isnull=True))
                | (Q(kind="office") & Q(office__isnull=False) & Q(municipality__isnull=True))
                | (
                    Q(kind="organisation") & ~Q(organisation="") & Q(office__isnull=True) & Q(municipality__isnull=True)
                ),
                name="member_kind_matches",
            ),
            models.UniqueConstraint(fields=["table", "municipality"], name="member_one_per_municipality"),
            models.UniqueConstraint(fields=["table", "office"], name="member_one_per_office"),
            models.UniqueConstraint(
                fields=["table", "organisation"], condition=Q(kind="organisation"), name="member_one_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == MemberKind.MUNICIPALITY:
            return f"{_('Comune di')} {self.municipality.name}"
        if self.kind == MemberKind.OFFICE:
            return self.office.name
        return self.organisation


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None) -> SessionQuerySet:
        return self.filter(cancelled=False, starts_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None) -> SessionQuerySet:
        return self.filter(cancelled=False, starts_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_published_minutes(self) -> SessionQuerySet:
        return self.filter(minutes_state=MinutesState.PUBLISHED)


class MinutesState(models.TextChoices):
    NONE = "none", _("non ancora scritto")
    DRAFT = "draft", _("bozza")
    PUBLISHED = "published", _("pubblicato")


class Session(models.Model):
    """One meeting of a table. ``uid`` and ``sequence`` are its calendar identity: every change sent to the
    members raises the sequence, so their calendars replace the event instead of adding another."""

    table = models.ForeignKey(WorkingTable, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("titolo"), max_length=200)
    starts_at = models.DateTimeField(_("inizio"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durata (minuti)"), default=120)
    place = models.CharField(_("luogo (indirizzo)"), max_length=300, blank=True)
    online_url = models.URLField(_("collegamento online"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("posti disponibili"), null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled = models.BooleanField(_("annullata"), default=False)
    # The last SEQUENCE whose invitations were all handed to the mail server: the hourly sweep sends again what a
    # broker that was down never enqueued.
    invited_sequence = models.IntegerField(default=-1, editable=False)
    # Claimed by the reminder task (a conditional UPDATE): the day-before reminder goes out once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendees_total = models.PositiveIntegerField(_("persone presenti"), null=True, blank=True)
    minutes_html = models.TextField(_("verbale"), blank=True)
    minutes_state = models.CharField(
        _("stato del verbale"), max_length=10, choices=MinutesState.choices, default=MinutesState.NONE
    )
    minutes_published_at = models.DateTimeField(_("verbale pubblicato il"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("seduta")
        verbose_name_plural = _("sedute")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_url=""), name="session_has_place_or_link"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="session_positive_duration"),
        ]

    def __str__(self) -> str:
        return f"{self.table.title} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tables:session", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()

    @property
    def minutes_public(self) -> bool:
        return self.minutes_state == MinutesState.PUBLISHED


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("posizione"))
    title = models.CharField(_("punto all'ordine del giorno"), max_length=300)

    class Meta:
        verbose_name = _("punto all'ordine del giorno")
        verbose_name_plural = _("ordine del giorno")
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="agenda_item_position")]

    def __str__(self) -> str:
        return self.title


def document_upload_to(instance, filename: str) -> str:
    return private_upload_path("tables", filename)


class DocumentRole(models.TextChoices):
    SESSION = "session", _("documento della seduta")
    MINUTES = "minutes", _("allegato al verbale")


class SessionDocument(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="documents")
    role = models.CharField(max_length=10, choices=DocumentRole.choices, default=DocumentRole.SESSION)
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    name = models.CharField(_("nome"), max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")
        ordering = ["session", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tables:document", args=[self.pk])


class Answer(models.TextChoices):
    ATTEND = "attend", _("parteciperò")
    DECLINE = "decline", _("non parteciperò")
    DELEGATE = "delegate", _("invio un delegato")


class Invitation(models.Model):
    """A member user's invitation to a session and their answer (RSVP)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="table_invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    answer = models.CharField(_("risposta"), max_length=10, choices=Answer.choices, blank=True)
    delegate_name = models.CharField(_("nome del delegato"), max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The SEQUENCE of the last calendar entry e-mailed to this person.
    sent_sequence = models.IntegerField(default=-1)

    class Meta:
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="invitation_one_per_user"),
            models.CheckConstraint(condition=~Q(answer="delegate") | ~Q(delegate_name=""), name="delegate_named"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.user_id} {self.answer}"


class Attendance(models.Model):
    """Who attended a session: a member organisation and how many of its people."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    people = models.PositiveSmallIntegerField(_("persone"), default=1)

    class Meta:
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member} ({self.people})"


def contribution_upload_to(instance, filename: str) -> str:
    return private_upload_path("tables", filename)


class Contribution(models.Model):
    """A member's written contribution to its table between sessions, answered by the coordinator."""

    table = models.ForeignKey(WorkingTable, on_delete=models.CASCADE, related_name="contributions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("contributo"), max_length=5000)
    document = models.FileField(_("documento"), upload_to=contribution_upload_to, blank=True, max_length=200)
    document_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(_("risposta del coordinatore"), max_length=5000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contributo scritto")
        verbose_name_plural = _("contributi scritti")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member}: {self.text[:40]}"


class OutcomeQuerySet(models.QuerySet):
    def for_listing(self) -> OutcomeQuerySet:
        return self.select_related("table", "session", "objective", "proposal", "project", "vocation", "scenario")


class Outcome(models.Model):
    """What a table produced, linked to what it became in the plan."""

    table = models.ForeignKey(WorkingTable, on_delete=models.CASCADE, related_name="outcomes")
    session = models.ForeignKey(
        Session, verbose_name=_("seduta"), on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    title = models.CharField(_("esito"), max_length=300)
    description = models.TextField(_("descrizione"), max_length=5000, blank=True)
    objective = models.ForeignKey(
        "phases.Objective",
        verbose_name=_("obiettivo specifico"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_outcomes",
    )
    proposal = models.ForeignKey(
        "projects.Proposal",
        verbose_name=_("proposta di progetto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_outcomes",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("progetto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_outcomes",
    )
    vocation = models.ForeignKey(
        "vocations.Vocation",
        verbose_name=_("vocazione"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_outcomes",
    )
    scenario = models.ForeignKey(
        "vocations.Scenario",
        verbose_name=_("scenario"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_outcomes",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("esito del tavolo")
        verbose_name_plural = _("esiti del tavolo")
        ordering = ["table", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A member user's personal calendar at a secret address; revoking gives a new token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="table_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendario personale")
        verbose_name_plural = _("calendari personali")

    def __str__(self) -> str:
        return f"{self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
