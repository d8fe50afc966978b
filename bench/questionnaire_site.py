"""Settings of the portal as served by ``bench/questionnaire.py``: the real portal plus one bare
Django view doing a single INSERT (``questionnaire_urls.py``), the yardstick of the measure."""

from __future__ import annotations

from psm_portal.settings import *  # noqa: F403

ROOT_URLCONF = "questionnaire_urls"
