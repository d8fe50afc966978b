"""Who reads which plan documents in the reserved area."""

from __future__ import annotations

from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team

# Who reads every version in the reserved area (the dashboard's «Documenti del piano»).
READERS = (Role.TEAM, Role.COUNCIL, Role.SECRETARY, Role.MAYOR, Role.OFFICE)
# Who reads the discussion of the draft and the council's dossier: the team, the council and its secretary.
COUNCIL_READERS = (Role.TEAM, Role.COUNCIL, Role.SECRETARY)


def can_download_unpublished(user) -> bool:
    """Versions not yet published: the team prepares them, the council approves the final plan and its secretary
    records the act."""
    return is_team(user) or getattr(user, "is_council", False) or getattr(user, "is_secretary", False)
