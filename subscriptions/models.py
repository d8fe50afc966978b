"""Subscribers (double opt-in), what they follow, the log of updates the other apps append to, and the digests.

Subscriptions sit just above accounts: a comune is followed by its ISTAT code and an objective by its code, stored
as keys and never as foreign keys to the higher apps, so that any app can append an update without importing the
others."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Topic(models.TextChoices):
    NEWS = "notizie", _("notizie")
    COMUNE = "comune", _("comune")
    OBJECTIVE = "obiettivo", _("obiettivo")


class UpdateKind(models.TextChoices):
    NEWS = "notizia", _("notizia")
    PROGRESS = "avanzamento", _("avanzamento validato")
    MILESTONE = "traguardo", _("nuovo traguardo")
    DOCUMENT = "documento", _("documento pubblicato")
    MINUTES = "verbale", _("verbale pubblicato")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, moment) -> SubscriberQuerySet:
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class Subscriber(models.Model):
    """An e-mail address kept only to send the updates it asked for; deleted on unsubscribe."""

    email = models.EmailField(_("e-mail"), unique=True)
    # Secret tokens of the e-mailed links: the confirmation one is cleared once used.
    confirm_token = models.CharField(max_length=64, unique=True, null=True, blank=True, default=new_token)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    # A signed-in user who subscribed from the reserved area (confirmed at once: the address is the account's).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriber"
    )
    created_at = models.DateTimeField(_("iscritto il"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confermato il"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("iscritto")
        verbose_name_plural = _("iscritti")

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Subscription(models.Model):
    """One thing a subscriber follows: the news, a comune (ISTAT code) or an objective (code)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    topic = models.CharField(_("argomento"), max_length=20, choices=Topic.choices)
    key = models.CharField(_("chiave"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("iscrizione")
        verbose_name_plural = _("iscrizioni")
        constraints = [models.UniqueConstraint(fields=["subscriber", "topic", "key"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.key}".strip()


class UpdateQuerySet(models.QuerySet):
    def between(self, since, until) -> UpdateQuerySet:
        return self.filter(created_at__gt=since, created_at__lte=until)


class Update(models.Model):
    """Something published that subscribers may want to hear of: appended by the apps through
    ``subscriptions.services.record_update``, read by the digests."""

    kind = models.CharField(_("tipo"), max_length=20, choices=UpdateKind.choices)
    title = models.CharField(_("titolo"), max_length=300)
    url = models.CharField(_("indirizzo"), max_length=500)
    created_at = models.DateTimeField(_("creato il"), default=timezone.now, db_index=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("aggiornamento")
        verbose_name_plural = _("aggiornamenti")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class UpdateTopic(models.Model):
    """Whom an update concerns: the news, a comune or an objective, by key."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    key = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "topic", "key"], name="update_topic_unique")]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}".strip()


class Digest(models.Model):
    """One round of digests (a week by default): the updates in (since, until] go to every confirmed subscriber
    that follows them, at most once each (``DigestDelivery`` is claimed before the e-mail goes)."""

    period = models.CharField(_("periodo"), max_length=20, unique=True)
    since = models.DateTimeField()
    until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invio periodico")
        verbose_name_plural = _("invii periodici")

    def __str__(self) -> str:
        return self.period


class DigestDelivery(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    claim = models.CharField(max_length=32)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["digest", "subscriber"], name="digest_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.digest_id}/{self.subscriber_id}"
