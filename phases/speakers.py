"""Who a signed-in user speaks for: their comune (a mayor) or their office (office staff).

One rule for every place where a comune or an office takes part (positions on the Vision, comments on
the draft plan): only active users speak, and only for their own comune or office.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from psm_portal.accounts.models import Role


@dataclass(frozen=True)
class Speaker:
    """Who a user speaks for: their municipality (mayor) or their office (office staff)."""

    kind: str  # "comune" or "ufficio"
    subject: object

    @property
    def key(self) -> str:
        return self.subject.istat_code if self.kind == "comune" else self.subject.code

    def filter(self) -> Q:
        return Q(municipality=self.subject) if self.kind == "comune" else Q(office=self.subject)


def speaker_for(user) -> Speaker | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.MAYOR and user.municipality_id:
        return Speaker("comune", user.municipality)
    if user.role == Role.OFFICE and user.office_id:
        return Speaker("ufficio", user.office)
    return None
