"""The sections the process adds to a comune's page: its istanze, and its positions once a review is closed.

Registered in ``municipalities.profile`` by ``PhasesConfig.ready``."""

from __future__ import annotations

from phases.models import Need, Position, VisionVersion


def positions_section(municipality, user) -> dict | None:
    version = VisionVersion.objects.latest_reviewed()
    if version is None:
        return None
    positions = (
        Position.objects.for_version(version)
        .of_municipality(municipality)
        .select_related("objective")
        .order_by("objective__sort_key")
    )
    # The Vision as a whole (no objective) first.
    ordered = sorted(positions, key=lambda p: (p.objective_id is not None, p.objective.sort_key if p.objective else ""))
    return {
        "template": "phases/_profile_positions.html",
        "version": version,
        "positions": ordered,
        "municipality": municipality,
    }


SHOWN = 10


def needs_section(municipality, user) -> dict:
    """The latest istanze with the team's reply: three queries whatever their number."""
    queryset = Need.objects.for_municipality(municipality)
    needs = list(queryset.prefetch_related("objectives")[:SHOWN])
    total = queryset.count()
    return {"template": "phases/needs/_profile.html", "needs": needs, "more": total > SHOWN, "total": total}
