"""The sections other parts of the portal add to a proposal's page (the working tables' outcomes that led to it).

They register here from their ``AppConfig.ready()``; a section is ``section(proposal, user) -> dict | None``
(see ``psm_portal.lib.sections``). Projects never import the apps above them.
"""

from __future__ import annotations

from psm_portal.lib.sections import SectionRegistry

proposal_page = SectionRegistry("proposta")
