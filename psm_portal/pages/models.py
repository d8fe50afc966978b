"""Informative pages whose text the PSM team edits: accessibility statement, privacy, legal notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SitePage(models.Model):
    class Slug(models.TextChoices):
        ACCESSIBILITY = "accessibilita", _("Dichiarazione di accessibilità")
        PRIVACY = "privacy", _("Privacy")
        LEGAL = "note-legali", _("Note legali")

    slug = models.SlugField(_("indirizzo"), max_length=40, unique=True, choices=Slug.choices)
    title = models.CharField(_("titolo"), max_length=200)
    body = models.TextField(_("testo"), help_text=_("HTML semplice: paragrafi, titoli, elenchi, collegamenti."))
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aggiornata da"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("pagina informativa")
        verbose_name_plural = _("pagine informative")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:page", args=[self.slug])
