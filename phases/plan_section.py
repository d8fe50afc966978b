"""What the process gives the plan documents: the phases, the Vision, the objectives tree and the istanze.

Each provider returns the shape documented in ``plan.sections`` with a constant number of queries,
in a stable order, with ISO dates and decimal strings, so two snapshots of the same data are equal;
each fingerprint hashes every row its provider reads (``psm_portal.lib.plan_data``). The projects
hung on the specific objectives are added by ``projects.plan_section``, which owns them.
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.utils import timezone

from phases.models import Indicator, Need, Objective, ObjectiveLevel, Phase, VisionStatus, VisionVersion
from psm_portal.lib.plan_data import decimal_text, digest, table_rows, unavailable

# --- Phases -------------------------------------------------------------------------------------------------


def phases_provider(kind: str) -> dict:
    items = [
        {
            "key": phase.key,
            "order": phase.order,
            "name": str(phase.name),
            "description": phase.description,
            "starts_on": timezone.localtime(phase.starts_at).date().isoformat(),
            "ends_on": timezone.localtime(phase.ends_at).date().isoformat(),
        }
        for phase in Phase.objects.order_by("order")
    ]
    return {"items": items}


def phases_fingerprint(kind: str) -> str:
    return digest(table_rows(Phase.objects.all()))


# --- Vision -------------------------------------------------------------------------------------------------


def vision_provider(kind: str) -> dict:
    """The adopted Vision, else the one open for review, else the latest published version (one query)."""
    version = (
        VisionVersion.objects.published()
        .order_by(
            Case(
                When(status=VisionStatus.ADOPTED, then=Value(0)),
                When(status=VisionStatus.OPEN, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "-number",
        )
        .first()
    )
    if version is None:
        return unavailable()
    data = {"title": version.title, "html": version.text, "version": version.number}
    if version.status == VisionStatus.ADOPTED and version.adopted_at:
        data["approved_on"] = timezone.localtime(version.adopted_at).date().isoformat()
    return data


def vision_fingerprint(kind: str) -> str:
    return digest(table_rows(VisionVersion.objects.all()))


# --- Objectives tree ----------------------------------------------------------------------------------------


def objectives_tree() -> tuple[list[dict], dict[int, dict]]:
    """The whole tree in tree order with its indicators (two queries): the root nodes, and the nodes of the
    specific objectives by id (each with an empty ``projects`` list for ``projects.plan_section`` to fill)."""
    objectives = Objective.objects.in_tree_order().prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))
    )
    roots: list[dict] = []
    nodes: dict[int, dict] = {}
    specific: dict[int, dict] = {}
    for objective in objectives:
        node = {
            "code": objective.code,
            "level": objective.level,
            "title": objective.title,
            "description": objective.description,
            "indicators": [
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": decimal_text(indicator.baseline),
                    "target": decimal_text(indicator.target),
                    "year": indicator.year or "",
                }
                for indicator in objective.indicators.all()
            ],
            "children": [],
            "projects": [],
        }
        nodes[objective.pk] = node
        # sort_key orders parents before their children, so the parent's node already exists.
        parent = nodes.get(objective.parent_id) if objective.parent_id else None
        (parent["children"] if parent is not None else roots).append(node)
        if objective.level == ObjectiveLevel.SPECIFIC:
            specific[objective.pk] = node
    return roots, specific


def objectives_rows() -> list:
    """The rows the tree is made from, for the fingerprint of the section that prints it."""
    return [table_rows(Objective.objects.all()), table_rows(Indicator.objects.all())]


# --- Istanze ------------------------------------------------------------------------------------------------


def needs_provider(kind: str) -> dict:
    """Istanze sent by each comune (one query); unavailable until the first one arrives."""
    counts = dict(Need.objects.values_list("municipality_id").annotate(n=Count("pk")).order_by("municipality_id"))
    if not counts:
        return unavailable()
    return {"by_municipality": {code: int(n) for code, n in counts.items()}}


def needs_fingerprint(kind: str) -> str:
    return digest(list(Need.objects.order_by("pk").values_list("pk", "municipality_id")))
