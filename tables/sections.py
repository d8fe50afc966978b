"""The working tables' sections of a comune's page, a project's page and an objective's page (registered by
``TablesConfig.ready``): «emerso dal tavolo …». Each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Q

from tables.models import Outcome
from tables.reads import attended_tables


def municipality_tables(municipality, user) -> dict | None:
    """The tables the comune belongs to and how many sessions it attended (one query)."""
    memberships = attended_tables(municipality)
    if not memberships:
        return None
    return {"template": "tables/_municipality_section.html", "memberships": memberships}


def project_outcomes(project, user) -> dict | None:
    """Outcomes of tables that produced the project, directly or through the proposal it came from (one query)."""
    outcomes = list(
        Outcome.objects.filter(Q(project=project) | Q(proposal__project=project))
        .select_related("table", "session", "proposal")
        .order_by("created_at", "pk")
    )
    if not outcomes:
        return None
    return {"template": "tables/_outcomes_section.html", "outcomes": outcomes}


def objective_outcomes(objective, request) -> dict | None:
    outcomes = list(
        Outcome.objects.filter(objective=objective).select_related("table", "session").order_by("created_at", "pk")
    )
    if not outcomes:
        return None
    return {"template": "tables/_outcomes_section.html", "outcomes": outcomes}


def proposal_outcomes(proposal, user) -> dict | None:
    """Outcomes of tables that led to the proposal (one query)."""
    outcomes = list(
        Outcome.objects.filter(proposal=proposal).select_related("table", "session").order_by("created_at", "pk")
    )
    if not outcomes:
        return None
    return {"template": "tables/_outcomes_section.html", "outcomes": outcomes}


def vocation_outcomes(vocation, user) -> dict | None:
    """Outcomes of tables that proposed or changed the vocation (one query)."""
    outcomes = list(
        Outcome.objects.filter(vocation=vocation).select_related("table", "session").order_by("created_at", "pk")
    )
    if not outcomes:
        return None
    return {"template": "tables/_outcomes_section.html", "outcomes": outcomes}


def scenario_outcomes(scenarios, user) -> dict | None:
    """For each scenario on /scenari/, the outcomes of tables that named it (one query for all of them)."""
    outcomes = list(
        Outcome.objects.filter(scenario__in=scenarios).select_related("table", "session").order_by("created_at", "pk")
    )
    if not outcomes:
        return None
    groups = [(s, [o for o in outcomes if o.scenario_id == s.pk]) for s in scenarios]
    return {"template": "tables/_scenario_outcomes_section.html", "groups": [g for g in groups if g[1]]}
