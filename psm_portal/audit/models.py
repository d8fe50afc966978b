"""Formal acts — phase changes, reviews, imports, publications, invitations — with who, when, before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chi"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("atto"), max_length=60)
    object_type = models.CharField(_("tipo di oggetto"), max_length=100)
    object_id = models.CharField(_("identificativo"), max_length=64)
    object_repr = models.CharField(_("oggetto"), max_length=300)
    before = models.JSONField(_("prima"), null=True, blank=True)
    after = models.JSONField(_("dopo"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("atto registrato")
        verbose_name_plural = _("registro degli atti")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"
