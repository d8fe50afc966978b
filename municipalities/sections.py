"""The istanze section of a municipality's page (see ``municipalities.profile``)."""

from __future__ import annotations

from municipalities.models import Need

SHOWN = 10


def needs_section(municipality, user) -> dict:
    """The latest istanze with the team's reply: three queries whatever their number."""
    queryset = Need.objects.for_municipality(municipality)
    needs = list(queryset.prefetch_related("objectives")[: SHOWN + 1])
    total = queryset.count() if len(needs) > SHOWN else len(needs)
    return {
        "template": "municipalities/_profile_needs.html",
        "needs": needs[:SHOWN],
        "more": len(needs) > SHOWN,
        "total": total,
    }
