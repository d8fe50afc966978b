"""The sections of a comune's page, each contributed by the part of the portal that owns the data.

The comuni are reference data near the bottom of the portal and never import the apps above them:
those register their sections here from their ``AppConfig.ready()``. A section is
``section(municipality, user) -> dict | None`` (see ``psm_portal.lib.sections``).
"""

from __future__ import annotations

from psm_portal.lib.sections import SectionRegistry

comune_page = SectionRegistry("comune")


def profile_sections(municipality, user) -> list[dict]:
    return comune_page.collect(municipality, user)
