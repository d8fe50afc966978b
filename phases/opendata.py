"""The process's entries in the open-data catalogue (registered by ``PhasesConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from psm_portal.lib.opendata import Dataset

OBJECTIVES = Dataset(
    _("Obiettivi del piano"),
    _("L'albero degli obiettivi: codice, livello, codice del padre, titolo e indicatori."),
    "phases:opendata_objectives",
    "CSV",
)
POSITIONS = Dataset(
    _("Posizioni su Visione e obiettivi"),
    _("Una riga per comune o ufficio, per obiettivo e versione della Visione."),
    "phases:opendata_positions",
    "CSV",
)
