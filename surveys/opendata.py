"""The questionnaires' entries in the open-data catalogue: one CSV and one JSON per questionnaire with public
results (registered by ``SurveysConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from psm_portal.lib.opendata import Dataset
from surveys.models import Questionnaire


def datasets() -> list[dict]:
    entries = []
    for questionnaire in Questionnaire.objects.with_public_results().order_by("-opens_at").only("slug", "title"):
        title = _("Questionario «%(title)s»") % {"title": questionnaire.title}
        for name, description, url_name, kind in (
            (
                _("risposte"),
                _("Una riga per risposta, una colonna per domanda chiusa; le risposte aperte sono escluse."),
                "surveys:opendata_csv",
                "CSV",
            ),
            (
                _("risultati aggregati"),
                _("Conteggi e percentuali per ogni domanda chiusa."),
                "surveys:opendata_json",
                "JSON",
            ),
        ):
            entries.append(
                {
                    "dataset": Dataset(title + " — " + name, description, url_name, kind),
                    "url": reverse(url_name, args=[questionnaire.slug]),
                }
            )
    return entries
