"""The sections other parts of the portal add to a project's page (its implementation reports, …).

They register here from their ``AppConfig.ready()``; a section is ``section(project, user) -> dict | None``
(see ``psm_portal.lib.sections``). Projects never import the apps above them.
"""

from __future__ import annotations

from psm_portal.lib.sections import SectionRegistry

project_page = SectionRegistry("progetto")
