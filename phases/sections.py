"""The positions section of a municipality's page, shown once a review is closed."""

from __future__ import annotations

from phases.models import Position, VisionVersion


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
