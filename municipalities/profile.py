"""The sections of a municipality's page, each contributed by the part of the portal that owns the data.

Each entry is the dotted path of a function ``(municipality, user) -> dict | None``; the dict
holds ``template`` (included in the page) and whatever that template needs. Keep each
section's queries constant in number: the page's query count is asserted.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

PROFILE_SECTIONS: list[str] = [
    "municipalities.sections.needs_section",
    "phases.sections.positions_section",
    "projects.profile.municipality_projects",
    "surveys.profile.participation_section",
]


def profile_sections(municipality, user) -> list[dict]:
    sections = []
    for path in PROFILE_SECTIONS:
        section = import_string(path)(municipality, user)
        if section:
            sections.append(section)
    return sections
