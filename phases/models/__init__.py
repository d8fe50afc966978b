"""The process: phases, Vision, objectives, positions, istanze.

Split by part (see STYLE.md: a module becomes a package past ~600 lines).
"""

from phases.models.needs import Need, NeedAttachment, NeedStatus, NeedTheme
from phases.models.process import (
    Indicator,
    Objective,
    ObjectiveLevel,
    Phase,
    Position,
    Reminder,
    Stance,
    VisionStatus,
    VisionVersion,
)

__all__ = [
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
    "Stance",
    "VisionStatus",
    "VisionVersion",
]
