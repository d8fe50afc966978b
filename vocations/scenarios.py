"""The scenarios side by side: for each indicator with a target in at least one scenario, its baseline and each
scenario's value at the plan's horizon. Two queries (the targets with their indicators)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vocations import results
from vocations.models import Target


def comparison(scenarios: list) -> dict:
    targets = list(
        Target.objects.filter(scenario__in=scenarios)
        .select_related("indicator__objective")
        .order_by("indicator__objective__sort_key", "indicator__order", "indicator_id")
    )
    indicators = []
    values: dict[tuple[int, int], object] = {}
    for target in targets:
        if target.indicator not in indicators:
            indicators.append(target.indicator)
        values[(target.indicator_id, target.scenario_id)] = target.value
    rows = []
    for index, indicator in enumerate(indicators):
        cells = [values.get((indicator.pk, s.pk)) for s in scenarios]
        top = max([float(v) for v in [indicator.baseline, *cells] if v is not None] or [1])
        rows.append(
            {
                "indicator": indicator,
                "values": cells,
                "chart": results.chart(
                    f"grafico-indicatore-{index + 1}",
                    f"{indicator.objective.code} — {indicator.name}",
                    _("Valore di partenza e valore di ogni scenario all'orizzonte del piano (%(unit)s).")
                    % {"unit": indicator.unit or _("unità")},
                    [(_("Valore di partenza"), indicator.baseline)]
                    + [(s.title, v) for s, v in zip(scenarios, cells, strict=True)],
                    top=top,
                ),
            }
        )
    return {"rows": rows}
