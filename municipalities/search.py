"""The comuni in the portal's search (``psm_portal.lib.search``), by name ("citta" finds "Città")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from psm_portal.lib.search import SearchKind


def _describe(municipality: Municipality) -> dict:
    return {
        "title": municipality.name,
        "url": municipality.get_absolute_url(),
        "meta": _("Comune, codice ISTAT %(code)s") % {"code": municipality.istat_code},
    }


COMUNI = SearchKind(
    key="comuni",
    label=_("Comuni"),
    fields=("name",),
    queryset=lambda user: Municipality.objects.only("istat_code", "name"),
    describe=_describe,
)
