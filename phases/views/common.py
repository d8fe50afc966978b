"""Helpers shared by the views of the process."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from phases.models import Objective
from phases.phases import CITIZEN
from psm_portal.accounts.models import Role

ROLE_LABELS = {CITIZEN: gettext_lazy("Cittadini"), **{role.value: role.label for role in Role}}


def build_tree(objectives) -> list[Objective]:
    """Attach ``tree_children`` to each node of an already ordered list; returns the axes."""
    by_id = {o.pk: o for o in objectives}
    roots = []
    for objective in objectives:
        objective.tree_children = []
    for objective in objectives:
        if objective.parent_id and objective.parent_id in by_id:
            by_id[objective.parent_id].tree_children.append(objective)
        elif objective.parent_id is None:
            roots.append(objective)
    return roots


def tree_queryset():
    return Objective.objects.in_tree_order().prefetch_related("indicators")
