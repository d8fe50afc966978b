"""Is this file a plan document the portal published? A read by SHA-256, for ``/piano/verifica/``.

Only what is public answers: a published version, or the version a council deliberation approved. A version
the team rendered but never published is "not a document published by the portal", as is any other file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan.models import PlanDocument, PlanStatus

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Verdict:
    sha256: str
    document: PlanDocument | None = None

    @property
    def found(self) -> bool:
        return self.document is not None


def verify_sha256(sha256: str) -> Verdict:
    """The public plan document with this SHA-256 (lower-case hex), if any (one query)."""
    if not SHA256_RE.match(sha256):
        return Verdict(sha256)
    document = (
        PlanDocument.objects.for_listing()
        .filter(status=PlanStatus.READY, sha256=sha256, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )
    return Verdict(sha256, document)
