"""Is this file a plan document the portal published? A read by SHA-256, for ``/piano/verifica/``.

Only what is public answers: the version a council deliberation in force approved (by the SHA-256 the act
copies), or a published version. A version the team rendered but never published is "not a document published by
the portal", as is any other file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan.models import Deliberation, PlanDocument, PlanStatus

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Verdict:
    sha256: str
    document: PlanDocument | None = None
    deliberation: Deliberation | None = None

    @property
    def found(self) -> bool:
        return self.document is not None


def verify_sha256(sha256: str) -> Verdict:
    """The public plan document with this SHA-256 (lower-case hex), if any, with the act that approved it
    (at most two queries)."""
    if not SHA256_RE.match(sha256):
        return Verdict(sha256)
    deliberation = Deliberation.objects.approving().for_listing().filter(document_sha256=sha256).first()
    if deliberation is not None:
        return Verdict(sha256, deliberation.document, deliberation)
    document = (
        PlanDocument.objects.for_listing()
        .filter(status=PlanStatus.READY, sha256=sha256, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )
    return Verdict(sha256, document)
