"""The sections other parts of the portal add to an objective's page (the projects serving it, later the
agenda's actions and the working tables' outcomes).

They register here from their ``AppConfig.ready()``; a section is ``section(objective, request) -> dict | None``
(see ``psm_portal.lib.sections``).
"""

from __future__ import annotations

from psm_portal.lib.sections import SectionRegistry

objective_page = SectionRegistry("obiettivo")
