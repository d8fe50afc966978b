"""The one write of the audit log: ``audit_record``, called by the services inside their own transaction."""

from __future__ import annotations

from typing import Any

from psm_portal.audit.models import AuditEvent


def audit_record(*, actor, action: str, obj, before: Any = None, after: Any = None) -> AuditEvent:
    """Write one formal act to the audit log."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )
