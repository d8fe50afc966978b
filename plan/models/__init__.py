"""The plan's models: the documents and the draft's discussion (``documents``), the council's examination,
amendments and deliberation (``council``)."""

from plan.models.council import (
    Amendment,
    AmendmentState,
    AmendmentTarget,
    Deliberation,
    DeliberationOutcome,
    Examination,
    ExaminationStatus,
)
from plan.models.documents import (
    DraftSection,
    PlanComment,
    PlanDocument,
    PlanDocumentQuerySet,
    PlanKind,
    PlanStatus,
)

__all__ = [
    "Amendment",
    "AmendmentState",
    "AmendmentTarget",
    "Deliberation",
    "DeliberationOutcome",
    "DraftSection",
    "Examination",
    "ExaminationStatus",
    "PlanComment",
    "PlanDocument",
    "PlanDocumentQuerySet",
    "PlanKind",
    "PlanStatus",
]
