"""The istanze section of a municipality's page (see ``municipalities.profile``)."""

from __future__ import annotations

from municipalities.models import Need

SHOWN = 10


def needs_section(municipality, user) -> dict:
    """The latest istanze with the team's reply: three queries whatever their number."""
    queryset = Need.objects.for_municipality(municipality)
    needs = list(queryset.prefetch_related("objectives")[:SHOWN])
    total = queryset.count()
    return {"template": "municipalities/_profile_needs.html", "needs": needs, "more": total > SHOWN, "total": total}
