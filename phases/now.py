"""Where the process is now: the running phase (or the next one) and what each kind of participant may do in it,
read from ``phases.phases``. The timeline page and the home page show it; one query (the phases)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from phases.models import Phase
from phases.phases import CITIZEN, FEATURE_ROLES, Feature
from psm_portal.accounts.models import Role

ROLE_LABELS = {CITIZEN: gettext_lazy("Cittadini"), **{role.value: role.label for role in Role}}


@dataclass(frozen=True)
class ProcessNow:
    phases: list[Phase]
    current: Phase | None  # the phase running now
    upcoming: Phase | None  # the next phase to start, when none is running
    by_role: list[dict] = field(default_factory=list)  # {"role", "label", "features"} for the running phase


def process_now(now=None) -> ProcessNow:
    now = now or timezone.now()
    phases = list(Phase.objects.order_by("order"))
    current = next((p for p in phases if p.is_active(now)), None)
    upcoming = None if current else next((p for p in phases if p.starts_at > now), None)
    by_role = []
    if current:
        for role, label in ROLE_LABELS.items():
            open_now = [f.label for f in Feature if f in current.features and role in FEATURE_ROLES[f]]
            by_role.append({"role": role, "label": label, "features": open_now})
    return ProcessNow(phases, current, upcoming, by_role)
