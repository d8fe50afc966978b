"""The three phases, the features they open and the roles that take part in each, declared in one place.

Every gated view and form asks ``phases.predicates`` — never these tables directly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from psm_portal.accounts.models import Role


class PhaseKey(models.TextChoices):
    LISTENING = "listening", _("Ascolto e Schema generale")
    AGENDA = "agenda", _("Agenda strategica")
    FINAL = "final", _("Piano finale")


class Feature(models.TextChoices):
    REVIEW_VISION = "review_vision", _("esaminare la Visione e prendere posizione")
    SEND_NEEDS = "send_needs", _("inviare le istanze del comune")
    UPLOAD_PORTFOLIO = "upload_portfolio", _("caricare il parco progettuale")
    ANSWER_QUESTIONNAIRE = "answer_questionnaire", _("rispondere al questionario")
    PROPOSE_PROJECTS = "propose_projects", _("proporre progetti")
    COMMENT_DRAFT_PLAN = "comment_draft_plan", _("commentare la proposta preliminare di piano")
    APPROVE_PLAN = "approve_plan", _("approvare il piano")
    RECORD_COUNCIL_ACTS = "record_council_acts", _("registrare gli atti del Consiglio metropolitano")
    DRAFT_AGENDA = "draft_agenda", _("preparare l'agenda annuale delle azioni")
    REPORT_PROGRESS = "report_progress", _("rendicontare l'attuazione")
    REVIEW_GOVERNANCE = "review_governance", _("esaminare il modello di governance e prendere posizione")
    MANAGE_TABLES = "manage_tables", _("gestire i tavoli di lavoro e le loro sedute")
    JOIN_TABLES = "join_tables", _("partecipare ai tavoli di lavoro")
    REVIEW_SCENARIOS = "review_scenarios", _("esaminare gli scenari di sviluppo e prendere posizione")


# Which features each phase opens.
PHASE_FEATURES: dict[str, frozenset[str]] = {
    PhaseKey.LISTENING: frozenset(
        {Feature.REVIEW_VISION, Feature.SEND_NEEDS, Feature.UPLOAD_PORTFOLIO, Feature.ANSWER_QUESTIONNAIRE}
    ),
    PhaseKey.AGENDA: frozenset(
        {
            Feature.PROPOSE_PROJECTS,
            Feature.COMMENT_DRAFT_PLAN,
            Feature.UPLOAD_PORTFOLIO,
            Feature.DRAFT_AGENDA,
            Feature.MANAGE_TABLES,
            Feature.JOIN_TABLES,
            Feature.REVIEW_SCENARIOS,
        }
    ),
    PhaseKey.FINAL: frozenset(
        {
            Feature.APPROVE_PLAN,
            Feature.RECORD_COUNCIL_ACTS,
            Feature.REPORT_PROGRESS,
            Feature.DRAFT_AGENDA,
            Feature.REVIEW_GOVERNANCE,
            # The final comparison table of phase 3.
            Feature.MANAGE_TABLES,
            Feature.JOIN_TABLES,
        }
    ),
}

# Who takes part in each feature ("citizen" means anybody, with no account).
CITIZEN = "citizen"
FEATURE_ROLES: dict[str, frozenset[str]] = {
    Feature.REVIEW_VISION: frozenset({Role.MAYOR, Role.OFFICE}),
    Feature.SEND_NEEDS: frozenset({Role.MAYOR}),
    Feature.UPLOAD_PORTFOLIO: frozenset({Role.OFFICE, Role.TEAM}),
    Feature.ANSWER_QUESTIONNAIRE: frozenset({CITIZEN}),
    Feature.PROPOSE_PROJECTS: frozenset({Role.MAYOR, Role.STAKEHOLDER}),
    Feature.COMMENT_DRAFT_PLAN: frozenset({Role.MAYOR, Role.OFFICE}),
    # Council members file amendments; the council's secretary (or the team) records admissibility, votes and the
    # deliberation.
    Feature.APPROVE_PLAN: frozenset({Role.COUNCIL}),
    Feature.RECORD_COUNCIL_ACTS: frozenset({Role.SECRETARY, Role.TEAM}),
    Feature.DRAFT_AGENDA: frozenset({Role.OFFICE, Role.TEAM}),
    Feature.REPORT_PROGRESS: frozenset({Role.OFFICE, Role.TEAM}),
    Feature.REVIEW_GOVERNANCE: frozenset({Role.MAYOR, Role.OFFICE}),
    Feature.REVIEW_SCENARIOS: frozenset({Role.MAYOR, Role.OFFICE}),
    # The team creates tables and sessions; a coordinating office records attendance and minutes (checked per
    # table by WorkingTable.can_manage); members answer invitations and send written contributions.
    Feature.MANAGE_TABLES: frozenset({Role.TEAM, Role.OFFICE}),
    Feature.JOIN_TABLES: frozenset({Role.MAYOR, Role.OFFICE, Role.STAKEHOLDER}),
}


def phases_opening(feature: str) -> list[str]:
    return [key for key, features in PHASE_FEATURES.items() if feature in features]
