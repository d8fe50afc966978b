"""The team's news (Notizie): drafts, then published on /notizie/ and in the Atom feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.uploads import private_upload_path


def news_image_path(instance, filename: str) -> str:
    return private_upload_path("news", filename)


class NewsStatus(models.TextChoices):
    DRAFT = "bozza", _("bozza")
    PUBLISHED = "pubblicata", _("pubblicata")


class NewsQuerySet(models.QuerySet):
    def published(self) -> NewsQuerySet:
        return self.filter(status=NewsStatus.PUBLISHED)

    def newest_first(self) -> NewsQuerySet:
        return self.order_by("-published_at", "-pk")

    def visible_to(self, user) -> NewsQuerySet:
        """Published news for everybody; drafts too for the team."""
        if getattr(user, "is_team", False):
            return self
        return self.published()


class News(models.Model):
    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=220, unique=True)
    summary = models.TextField(_("sintesi"), max_length=500)
    body = models.TextField(_("testo"), blank=True)  # sanitised HTML (psm_portal.lib.html), like the Vision
    image = models.FileField(_("immagine"), upload_to=news_image_path, blank=True, max_length=200)
    image_alt = models.CharField(_("testo alternativo dell'immagine"), max_length=250, blank=True)
    status = models.CharField(_("stato"), max_length=20, choices=NewsStatus.choices, default=NewsStatus.DRAFT)
    objectives = models.ManyToManyField(
        "phases.Objective", verbose_name=_("obiettivi collegati"), related_name="news", blank=True
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("progetti collegati"), related_name="news", blank=True
    )
    municipalities = models.ManyToManyField(
        "municipalities.Municipality", verbose_name=_("comuni collegati"), related_name="news", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True, db_index=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("notizia")
        verbose_name_plural = _("notizie")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""), name="news_image_has_alternative_text"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="pubblicata") | models.Q(published_at__isnull=False),
                name="news_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == NewsStatus.PUBLISHED

    def snapshot(self) -> dict:
        return {
            "title": self.title,
            "slug": self.slug,
            "status": self.status,
            "image": bool(self.image),
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }
