"""The models of the process, imported from here: ``process`` (phases, the Vision and its versions, the objectives
tree, positions, reminders) and ``needs`` (istanze and their attachments)."""

from phases.models.needs import Need, NeedAttachment, NeedStatus, NeedTheme
from phases.models.process import (
    DocumentKind,
    Indicator,
    Objective,
    ObjectiveLevel,
    Phase,
    Position,
    Reminder,
    ReviewedVersionManager,
    Stance,
    VisionStatus,
    VisionVersion,
    position_comment_error,
)

__all__ = [
    "DocumentKind",
    "Indicator",
    "Need",
    "NeedAttachment",
    "NeedStatus",
    "NeedTheme",
    "Objective",
    "ObjectiveLevel",
    "Phase",
    "Position",
    "Reminder",
    "ReviewedVersionManager",
    "Stance",
    "position_comment_error",
    "VisionStatus",
    "VisionVersion",
]
