from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phases.phases import PHASE_FEATURES, PhaseKey


class PhaseQuerySet(models.QuerySet):
    def active_at(self, moment) -> PhaseQuerySet:
        """The phase whose dates hold the moment: start ≤ moment < end."""
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class Phase(models.Model):
    key = models.CharField(_("fase"), max_length=20, choices=PhaseKey.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("ordine"))
    description = models.TextField(_("descrizione"))
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"))

    objects = PhaseQuerySet.as_manager()

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
