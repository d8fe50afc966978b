"""What the vocations give the plan documents: the territorial areas, the vocations with their results and the
priority vocations (``vocations``), and the scenarios with their comparison table (``scenarios``).

Shapes in ``plan.sections``; fingerprints as in ``psm_portal.lib.plan_data``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from municipalities.models import Area, Municipality
from phases.models import Indicator, Objective
from psm_portal.lib.plan_data import decimal_text, digest, table_rows, through_rows, unavailable
from vocations import results
from vocations.models import Answer, Priority, Rating, Round, Scenario, Target, Vocation


def vocations_provider(kind: str) -> dict:
    vocations = list(Vocation.objects.all())
    if not vocations:
        return unavailable(_("Le vocazioni del territorio non sono ancora state definite."))
    areas = list(Area.objects.all())
    members: dict[int, list[str]] = {a.pk: [] for a in areas}
    for name, area_id in Municipality.objects.order_by("name").values_list("name", "area_id"):
        members.setdefault(area_id, []).append(name)
    data = {
        "areas": [
            {"code": a.code, "name": a.name, "colour": a.colour, "municipalities": members.get(a.pk, [])} for a in areas
        ],
        "round": "",
        "closed_on": "",
        "priorities": [],
        "items": [{"slug": v.slug, "name": v.name, "description": v.description} for v in vocations],
    }
    round_ = Round.objects.latest_closed()
    if round_ is None:
        return data
    data["round"] = round_.title
    data["closed_on"] = round_.closed_at.date().isoformat() if round_.closed_at else ""
    data["priorities"] = [
        {"area": p.area.name if p.area_id else "", "vocation": p.vocation.name, "rationale": p.rationale}
        for p in Priority.objects.filter(round=round_)
        .select_related("area", "vocation")
        .order_by("area__order", "vocation__order", "vocation_id")
    ]
    summaries = {s.vocation.pk: s for s in results.summaries(round_, vocations)}
    for item, vocation in zip(data["items"], vocations, strict=True):
        summary = summaries[vocation.pk]
        item.update(
            {
                "answers": summary.answers,
                "average": summary.average,
                "priorities": summary.priorities,
                "scores": {code: values[0] for code, values in results.municipality_scores(round_, vocation).items()},
                "areas": [
                    {
                        "name": r.area.name,
                        "answers": r.answers,
                        "average": r.average,
                        "priorities": r.priorities,
                        "rank": r.rank,
                    }
                    for r in results.area_table(round_, vocation, areas)
                ],
            }
        )
    return data


def vocations_fingerprint(kind: str) -> str:
    return digest(
        [
            table_rows(Vocation.objects.all()),
            table_rows(Area.objects.all()),
            list(Municipality.objects.order_by("pk").values_list("pk", "name", "area_id")),
            table_rows(Round.objects.all()),
            table_rows(Answer.objects.all()),
            table_rows(Rating.objects.all()),
            table_rows(Priority.objects.all()),
        ]
    )


def scenarios_provider(kind: str) -> dict:
    scenarios = list(Scenario.objects.prefetch_related("vocations"))
    if not scenarios:
        return unavailable(_("Gli scenari di sviluppo non sono ancora stati scritti."))
    targets = list(
        Target.objects.select_related("indicator__objective").order_by(
            "indicator__objective__sort_key", "indicator__order", "indicator_id"
        )
    )
    indicators: list = []
    values = {}
    for t in targets:
        if t.indicator not in indicators:
            indicators.append(t.indicator)
        values[(t.indicator_id, t.scenario_id)] = t.value
    return {
        "items": [
            {
                "title": s.title,
                "narrative": s.narrative,
                "assumptions": s.assumptions,
                "reference": s.is_reference,
                "vocations": [v.name for v in s.vocations.all()],
            }
            for s in scenarios
        ],
        "indicators": [
            {
                "code": i.objective.code,
                "name": i.name,
                "unit": i.unit,
                "baseline": decimal_text(i.baseline),
                "year": i.year,
                "values": [decimal_text(values.get((i.pk, s.pk))) for s in scenarios],
            }
            for i in indicators
        ],
    }


def scenarios_fingerprint(kind: str) -> str:
    return digest(
        [
            table_rows(Scenario.objects.all()),
            through_rows(Scenario._meta.get_field("vocations")),
            table_rows(Target.objects.all()),
            table_rows(Indicator.objects.all()),
            list(Objective.objects.order_by("pk").values_list("pk", "code")),
            list(Vocation.objects.order_by("pk").values_list("pk", "name")),
        ]
    )
