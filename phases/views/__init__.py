"""The views of the process, one module per part (STYLE.md: a module becomes a package past ~600 lines)."""

from phases.views.coverage import coverage_dashboard, coverage_remind
from phases.views.opendata import opendata_objectives, opendata_positions
from phases.views.positions import my_positions, position_attachment, position_save, positions
from phases.views.public import objective_detail, timeline, vision, vision_diff, vision_version, vision_versions
from phases.views.team_phases import manage, phase_close, phase_dates
from phases.views.team_vision import (
    manage_vision,
    objective_edit,
    version_adopt,
    version_close,
    version_create,
    version_edit,
    version_open,
)

__all__ = [
    "coverage_dashboard",
    "coverage_remind",
    "manage",
    "manage_vision",
    "my_positions",
    "objective_detail",
    "objective_edit",
    "opendata_objectives",
    "opendata_positions",
    "phase_close",
    "phase_dates",
    "position_attachment",
    "position_save",
    "positions",
    "timeline",
    "version_adopt",
    "version_close",
    "version_create",
    "version_edit",
    "version_open",
    "vision",
    "vision_diff",
    "vision_version",
    "vision_versions",
]
