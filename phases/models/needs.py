"""Istanze: the needs and requests a municipality sends to the PSM team during listening, with the team's reply.

An istanza links a comune to the general objectives it concerns, so it lives here, above both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.text import fold
from psm_portal.lib.uploads import private_upload_path


class NeedTheme(models.TextChoices):
    MOBILITY = "mobility", _("Mobilità e infrastrutture")
    ENVIRONMENT = "environment", _("Ambiente e territorio")
    ECONOMY = "economy", _("Sviluppo economico e lavoro")
    TOURISM = "tourism", _("Turismo e cultura")
    SOCIAL = "social", _("Servizi sociali e istruzione")
    DIGITAL = "digital", _("Innovazione e digitale")
    OTHER = "other", _("Altro")


class NeedStatus(models.TextChoices):
    RECEIVED = "received", _("ricevuta")
    TAKEN = "taken", _("presa in considerazione")
    NOT_TAKEN = "not_taken", _("non presa in considerazione")


class NeedQuerySet(models.QuerySet):
    def for_municipality(self, municipality) -> NeedQuerySet:
        return self.filter(municipality=municipality)

    def with_status(self, status: str) -> NeedQuerySet:
        return self.filter(status=status) if status else self

    def with_theme(self, theme: str) -> NeedQuerySet:
        return self.filter(theme=theme) if theme else self

    def search(self, text: str) -> NeedQuerySet:
        """The municipality's name contains the text, ignoring case and accents, or the title contains it."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(models.Q(municipality__name_folded__contains=fold(text)) | models.Q(title__icontains=text))


class Need(models.Model):
    """An istanza: a need or request a municipality sends to the PSM team, with the team's reply."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("comune"), on_delete=models.PROTECT, related_name="needs"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inviata da"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("descrizione"), max_length=10000)
    theme = models.CharField(_("tema"), max_length=20, choices=NeedTheme.choices)
    objectives = models.ManyToManyField(
        "phases.Objective", verbose_name=_("obiettivi generali collegati"), blank=True, related_name="needs"
    )
    status = models.CharField(_("esito"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.RECEIVED)
    tags = models.CharField(_("etichette"), max_length=300, blank=True, help_text=_("Separate da virgole."))
    reply = models.TextField(_("risposta del team PSM"), blank=True, max_length=10000)
    replied_at = models.DateTimeField(_("risposta del"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risposta di"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("inviata il"), auto_now_add=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("istanza")
        verbose_name_plural = _("istanze")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("phases:need_detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


def need_upload_to(instance, filename: str) -> str:
    # A named function, not a factory's closure: migrations refer to it by this name.
    return private_upload_path("needs", filename)


class NeedAttachment(models.Model):
    need = models.ForeignKey(Need, verbose_name=_("istanza"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=need_upload_to, max_length=200)
    name = models.CharField(_("nome del file"), max_length=200)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("allegato dell'istanza")
        verbose_name_plural = _("allegati delle istanze")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
