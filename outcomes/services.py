"""Writes of outcomes: the team records what an input led to, where it decides (replying to an istanza, deciding a
proposal); one transaction with the audit log, ``ValidationError`` in Italian."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.models import Link, Outcome
from outcomes.registry import INPUTS, TARGETS
from psm_portal.audit.services import audit_record


def _label(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def outcome_record(*, actor, input, outcome: str, targets=(), reason: str = "") -> list[Link]:
    """Say what ``input`` led to, replacing what was said before: taken into account in (or merged into) each
    of ``targets``, or not taken (no target)."""
    if input._meta.label_lower not in INPUTS or input.pk is None:
        raise ValidationError(_("Questo contributo non può avere un esito."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Esito sconosciuto."))
    targets = list(dict.fromkeys(targets))
    if outcome == Outcome.NOT_TAKEN:
        targets = []
    elif not targets:
        raise ValidationError(_("Indica in quali obiettivi, progetti o azioni è stato preso in considerazione."))
    for target in targets:
        if target._meta.label_lower not in TARGETS or target.pk is None:
            raise ValidationError(_("Un contributo può portare solo a un obiettivo, un progetto o un'azione."))
    reason = (reason or "").strip()[:10000]
    now = timezone.now()
    input_type = ContentType.objects.get_for_model(input)
    with transaction.atomic():
        existing = Link.objects.filter(input_type=input_type, input_id=input.pk)
        before = [(link.outcome, link.target_type_id, link.target_id) for link in existing]
        existing.delete()
        common = {"input_type": input_type, "input_id": input.pk, "outcome": outcome, "reason": reason}
        links = [
            Link(
                **common,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                decided_by=actor,
                decided_at=now,
            )
            for target in targets
        ] or [Link(**common, decided_by=actor, decided_at=now)]
        Link.objects.bulk_create(links)
        audit_record(
            actor=actor,
            action="outcome.record",
            obj=input,
            before={"links": before},
            after={"outcome": outcome, "targets": [_label(target) for target in targets], "reason": reason},
        )
    return links


def outcome_clear(*, actor, input) -> int:
    """Forget what ``input`` led to (an istanza put back to «ricevuta»)."""
    links = Link.objects.for_input(input)
    with transaction.atomic():
        before = [(link.outcome, link.target_type_id, link.target_id) for link in links]
        if not before:
            return 0
        links.delete()
        audit_record(actor=actor, action="outcome.clear", obj=input, before={"links": before}, after={})
    return len(before)
