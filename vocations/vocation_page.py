"""The sections other parts of the portal add to a vocation's page and to the scenarios' page (the working tables'
outcomes that named them).

They register here from their ``AppConfig.ready()``; a section of ``vocation_page`` is
``section(vocation, user) -> dict | None``, one of ``scenarios_page`` is ``section(scenarios, user) -> dict | None``
with every scenario shown on /scenari/ at once (see ``psm_portal.lib.sections``); each in a constant number of
queries. Vocations never import the apps above them.
"""

from __future__ import annotations

from psm_portal.lib.sections import SectionRegistry

vocation_page = SectionRegistry("vocazione")
scenarios_page = SectionRegistry("scenari")
