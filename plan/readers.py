"""Who reads which plan documents in the reserved area."""

from __future__ import annotations

from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team

# Who reads every version in the reserved area (the dashboard's «Documenti del piano»).
READERS = (Role.TEAM, Role.COUNCIL, Role.MAYOR, Role.OFFICE)


def can_download_unpublished(user) -> bool:
    """Versions not yet published: the team prepares them and the council approves the final plan."""
    return is_team(user) or getattr(user, "is_council", False)
