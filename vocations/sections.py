"""What the vocations add to a comune's page: its ratings in the latest closed round (two queries)."""

from __future__ import annotations

from vocations.models import Rating, Round


def municipality_ratings(municipality, user) -> dict | None:
    round_ = Round.objects.latest_closed()
    if round_ is None:
        return None
    ratings = list(
        Rating.objects.filter(answer__round=round_, answer__municipality=municipality)
        .select_related("vocation")
        .order_by("-score", "vocation__order")
    )
    if not ratings:
        return None
    return {"template": "vocations/municipality_section.html", "round": round_, "ratings": ratings}
