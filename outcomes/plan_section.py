"""What outcomes gives the plan documents: under each objective, project and agenda action the public may see,
the contributions the public may read (not a review's positions before it closes, nor the draft's private threads)
that led to it (istanze, positions, proposals, comments…), with the team's reason.

Shape (``plan.sections``): ``contributions`` {"targets": [{"kind", "title", "inputs": [{"kind", "text", "outcome",
"reason"}]}]}, targets in the registry's order (objectives, then projects, then actions), each by title.
"""

from __future__ import annotations

from django.utils import translation

from outcomes.models import Link
from outcomes.reads import inputs_prefetch, targets_prefetch
from outcomes.registry import INPUTS, TARGETS
from psm_portal.lib.plan_data import digest, table_rows, unavailable


def contributions_provider(kind: str) -> dict:
    """One query for the links, then one per kind of input and of target."""
    links = Link.objects.positive().prefetch_related(inputs_prefetch(None), targets_prefetch(None))
    order = {label: position for position, label in enumerate(TARGETS)}
    groups: dict[tuple, dict] = {}
    # Labels are frozen in Italian, the language of the document.
    with translation.override("it"):
        for link in links:
            target, obj = link.target, link.input
            if target is None or obj is None:
                continue
            label = target._meta.label_lower
            group = groups.setdefault(
                (order[label], str(target), target.pk),
                {"kind": str(TARGETS[label].label), "title": str(target), "inputs": []},
            )
            kind = INPUTS[obj._meta.label_lower]
            group["inputs"].append(
                {
                    "kind": str(kind.label),
                    "text": kind.describe(obj),
                    "outcome": str(link.get_outcome_display()),
                    "reason": link.reason,
                }
            )
    if not groups:
        return unavailable(translation.gettext("Nessun contributo è stato ancora collegato alle scelte del piano."))
    return {"targets": [groups[key] for key in sorted(groups)]}


def contributions_fingerprint(kind: str) -> str:
    """The links, and the rows of the inputs and targets they name (their titles are printed)."""
    parts = [table_rows(Link.objects.all())]
    for registered in (*INPUTS.values(), *TARGETS.values()):
        parts.append(table_rows(registered.model_class()._default_manager.all()))
    return digest(parts)
