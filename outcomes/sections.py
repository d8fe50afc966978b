"""The sections outcomes adds to other pages: on an objective's, a project's or an action's page the inputs that
led to it (registered by the app owning the page, which may import this one), and on a comune's page the summary of
what became of its contributions (registered by ``OutcomesConfig.ready``)."""

from __future__ import annotations

from outcomes.reads import inputs_of, municipality_summary


def target_inputs_section(target, request_or_user) -> dict | None:
    """The contributions that led to ``target``; one query per kind of input."""
    user = getattr(request_or_user, "user", request_or_user)
    shown = inputs_of(target, user)
    if not shown:
        return None
    return {"template": "outcomes/_target_inputs.html", "inputs": shown}


def municipality_section(municipality, user) -> dict | None:
    """How many of the comune's contributions were taken into account or not (public: no reasons)."""
    rows = municipality_summary(municipality)
    if not rows:
        return None
    return {"template": "outcomes/_municipality_section.html", "rows": rows, "municipality": municipality}
