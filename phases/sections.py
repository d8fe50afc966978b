"""The sections the process adds to a comune's page: its istanze, its positions once a review is closed, and while
a review is open how many positions it has given so far (never which).

Registered in ``municipalities.profile`` by ``PhasesConfig.ready``."""

from __future__ import annotations

from phases import coverage
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


def open_review_section(municipality, user) -> dict | None:
    """While a review is open: how many of its targets the comune has answered and how many comuni and offices have
    answered in all; the stances stay private until it closes. Five queries."""
    version = VisionVersion.objects.open_for_review().first()
    if version is None:
        return None
    return {
        "template": "phases/_profile_open_review.html",
        "participation": coverage.live_participation(version),
        "given": Position.objects.for_version(version).of_municipality(municipality).count(),
        "expected": coverage.expected_answers(),
        "municipality": municipality,
    }


SHOWN = 10


def needs_section(municipality, user) -> dict:
    """The latest istanze with the team's reply: three queries whatever their number."""
    queryset = Need.objects.for_municipality(municipality)
    needs = list(queryset.prefetch_related("objectives")[:SHOWN])
    total = queryset.count()
    return {"template": "phases/needs/_profile.html", "needs": needs, "more": total > SHOWN, "total": total}
