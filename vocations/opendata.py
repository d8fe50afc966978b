"""Open data of the vocations (CC BY 4.0): the comuni's ratings per vocation of the latest closed round, and the
scenarios with their indicator targets. No personal data: who typed an answer is not published."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from psm_portal.lib.csvexport import csv_response
from psm_portal.lib.opendata import Dataset
from vocations.models import Rating, Round, Scenario, Target

DATASETS = [
    Dataset(
        _("Vocazioni del territorio"),
        _(
            "Le valutazioni dei comuni sulle vocazioni nell'ultima consultazione chiusa: una riga per comune e "
            "vocazione, con ambito, punteggio da 1 a 5, priorità e motivazione."
        ),
        "vocations:opendata_vocations",
        "CSV",
    ),
    Dataset(
        _("Scenari di sviluppo"),
        _(
            "Gli scenari futuri di sviluppo e, per ogni indicatore scelto, il valore di partenza e quello dello scenario."
        ),
        "vocations:opendata_scenarios",
        "CSV",
    ),
]

VOCATIONS_HEADER = ["round", "closed_on", "istat_code", "comune", "area", "vocation", "score", "priority", "reason"]
SCENARIOS_HEADER = [
    "scenario",
    "reference",
    "objective",
    "indicator",
    "unit",
    "baseline",
    "target_year",
    "target",
    "vocations",
]


def vocation_rows() -> Iterator[list]:
    round_ = Round.objects.latest_closed()
    if round_ is None:
        return
    ratings = (
        Rating.objects.filter(answer__round=round_, answer__municipality__isnull=False)
        .select_related("vocation", "answer__municipality__area")
        .order_by("answer__municipality_id", "vocation__order", "vocation_id")
    )
    for r in ratings.iterator(chunk_size=1000):
        m = r.answer.municipality
        yield [
            round_.title,
            round_.closed_at.date().isoformat() if round_.closed_at else "",
            m.istat_code,
            m.name,
            m.area.name,
            r.vocation.name,
            r.score,
            "1" if r.priority else "0",
            r.reason,
        ]


def scenario_rows() -> Iterator[list]:
    scenarios = {s.pk: s for s in Scenario.objects.prefetch_related("vocations")}
    targets = Target.objects.select_related("indicator__objective").order_by(
        "scenario__order", "indicator__objective__sort_key", "indicator__order"
    )
    for t in targets:
        scenario = scenarios[t.scenario_id]
        yield [
            scenario.title,
            "1" if scenario.is_reference else "0",
            t.indicator.objective.code,
            t.indicator.name,
            t.indicator.unit,
            t.indicator.baseline if t.indicator.baseline is not None else "",
            t.indicator.year or "",
            t.value,
            "; ".join(v.name for v in scenario.vocations.all()),
        ]


def vocations_download():
    return csv_response("vocazioni.csv", VOCATIONS_HEADER, vocation_rows())


def scenarios_download():
    return csv_response("scenari.csv", SCENARIOS_HEADER, scenario_rows())
