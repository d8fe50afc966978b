"""The comuni's entry in the open-data catalogue (registered by ``MunicipalitiesConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from psm_portal.lib.opendata import Dataset

COMUNI = Dataset(
    _("Comuni della Città Metropolitana"),
    _("I 108 comuni con codice ISTAT, nome, popolazione al 1° gennaio 2023 e superficie in km²."),
    "municipalities:opendata_csv",
    "CSV",
)
