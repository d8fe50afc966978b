"""The catalogue of open datasets, one entry per file; each part of the portal adds its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

LICENCE_NAME = "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.it"


@dataclass(frozen=True)
class Dataset:
    title: str
    description: str
    url_name: str
    media_type: str


DATASETS = [
    Dataset(
        _("Comuni della Città Metropolitana"),
        _("I 108 comuni con codice ISTAT, nome, popolazione al 1° gennaio 2023 e superficie in km²."),
        "municipalities:opendata_csv",
        "CSV",
    ),
    Dataset(
        _("Obiettivi del piano"),
        _("L'albero degli obiettivi: codice, livello, codice del padre, titolo e indicatori."),
        "phases:opendata_objectives",
        "CSV",
    ),
    Dataset(
        _("Posizioni su Visione e obiettivi"),
        _("Una riga per comune o ufficio, per obiettivo e versione della Visione."),
        "phases:opendata_positions",
        "CSV",
    ),
    Dataset(_("Progetti"), _("I progetti pubblicati del parco progettuale."), "projects:opendata_csv", "CSV"),
    Dataset(_("Progetti (JSON)"), _("I progetti pubblicati, in JSON."), "projects:opendata_json", "JSON"),
]


# Datasets that exist once per object (one per questionnaire with public results): functions
# returning ``[{"dataset": Dataset, "url": str}]``.
DATASET_PROVIDERS = ["surveys.opendata.datasets"]


def available_datasets() -> list[dict]:
    """The datasets whose part of the portal exists, with their download address."""
    found = []
    for dataset in DATASETS:
        try:
            url = reverse(dataset.url_name)
        except NoReverseMatch:
            continue
        found.append({"dataset": dataset, "url": url})
    for path in DATASET_PROVIDERS:
        found.extend(import_string(path)())
    return found
