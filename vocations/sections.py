"""What the vocations add to a comune's page: its ratings in the latest closed round (one query)."""

from __future__ import annotations

from django.db.models import Subquery

from vocations.models import Rating, Round, RoundStatus


def municipality_ratings(municipality, user) -> dict | None:
    latest_closed = Round.objects.filter(status=RoundStatus.CLOSED).order_by("-closed_at", "-pk").values("pk")[:1]
    ratings = list(
        Rating.objects.filter(answer__round=Subquery(latest_closed), answer__municipality=municipality)
        .select_related("vocation", "answer__round")
        .order_by("-score", "vocation__order")
    )
    if not ratings:
        return None
    return {"template": "vocations/municipality_section.html", "round": ratings[0].answer.round, "ratings": ratings}
