"""The process: phases, vision, objectives, positions, plan documents.

Split by part (see STYLE.md: a module becomes a package past ~600 lines).
"""

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
    "Objective",
    "ObjectiveLevel",
    "Phase",
    "Position",
    "Reminder",
    "Stance",
    "VisionStatus",
    "VisionVersion",
]
