"""What became of each contribution: a link from an input (an istanza, a proposal, a position, a comment on the
draft plan, a questionnaire question) to what it led to (an objective, a project, an agenda action), with the
outcome and the team's reason; and the once-only claims of the notices of formal acts.

Both ends are generic relations: this app sits below every app whose models it links, and never imports them.
Which models may be inputs and targets, with their labels, is ``outcomes.registry``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    TAKEN = "taken", _("presa in considerazione in")
    MERGED = "merged", _("confluita in")
    NOT_TAKEN = "not_taken", _("non accolta")


class LinkQuerySet(models.QuerySet):
    def for_input(self, obj) -> LinkQuerySet:
        return self.filter(input_type=ContentType.objects.get_for_model(obj), input_id=obj.pk)

    def for_inputs(self, model, ids) -> LinkQuerySet:
        return self.filter(input_type=ContentType.objects.get_for_model(model), input_id__in=ids)

    def for_target(self, obj) -> LinkQuerySet:
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)

    def positive(self) -> LinkQuerySet:
        return self.exclude(outcome=Outcome.NOT_TAKEN)


class Link(models.Model):
    """One input and what it led to; a «non accolta» outcome has no target."""

    input_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    input_id = models.PositiveBigIntegerField()
    input = GenericForeignKey("input_type", "input_id")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    outcome = models.CharField(_("esito"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("motivazione del team PSM"), blank=True, max_length=10000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deciso da"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("deciso il"))

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("esito di un contributo")
        verbose_name_plural = _("esiti dei contributi")
        ordering = ["decided_at", "pk"]
        indexes = [
            models.Index(fields=["input_type", "input_id"], name="outcomes_link_input"),
            models.Index(fields=["target_type", "target_id"], name="outcomes_link_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["input_type", "input_id", "target_type", "target_id"], name="outcomes_link_once"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="not_taken", target_id__isnull=True)
                | (~models.Q(outcome="not_taken") & models.Q(target_id__isnull=False)),
                name="outcomes_link_target_iff_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.input_type_id}:{self.input_id} → {self.get_outcome_display()}"


class Notice(models.Model):
    """A notice of a formal act, claimed before it is sent: the unique key makes each one go once."""

    key = models.CharField(_("chiave"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("inviato il"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("destinatari"), default=0)

    class Meta:
        verbose_name = _("avviso inviato")
        verbose_name_plural = _("avvisi inviati")

    def __str__(self) -> str:
        return self.key
