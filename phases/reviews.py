"""The kinds of document reviewed through versions and positions, and what differs between them.

The Vision is one; the governance model of the implementation (``implementation.governance``) is another, registered
from ``ImplementationConfig.ready()``. Everything else — drafts, opening with a deadline and the e-mail, positions of
comuni and offices, coverage, reminders, closing and adopting — is the same code in ``phases.services`` and
``phases.coverage``, which ask this registry for the phase gate, the audit actions, the texts and the addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from phases.phases import Feature


@dataclass(frozen=True)
class ReviewKind:
    key: str  # the value of VisionVersion.kind
    feature: str  # the Feature whose phase opens the review and whose roles take positions
    audit_prefix: str  # "vision" → "vision.open", "vision.close"…
    version_url: str  # URL name of a version's public page, by number
    positions_url: str  # URL name of the page where mayors and offices give their position
    document_url: str  # URL name of the document's public page
    opened_subject: str  # e-mail subject, with %(deadline)s
    opened_template: str
    reminder_subject: str
    reminder_template: str
    none_open: str  # why no position can be given: no version open
    objectives: bool = False  # positions are given on general objectives too, besides the whole document


_KINDS: dict[str, ReviewKind] = {}


def register(kind: ReviewKind) -> None:
    _KINDS[kind.key] = kind


def review_kind(key: str) -> ReviewKind:
    return _KINDS[key]


register(
    ReviewKind(
        key="vision",
        feature=Feature.REVIEW_VISION,
        audit_prefix="vision",
        version_url="phases:vision_version",
        positions_url="phases:my_positions",
        document_url="phases:vision",
        opened_subject=_("La Visione del PSM è aperta alle vostre posizioni fino al %(deadline)s"),
        opened_template="phases/email/version_opened.txt",
        reminder_subject=_("Promemoria: la posizione del vostro comune sulla Visione del PSM"),
        reminder_template="phases/email/reminder.txt",
        none_open=_("Nessuna versione della Visione è aperta alla consultazione in questo momento."),
        objectives=True,
    )
)
