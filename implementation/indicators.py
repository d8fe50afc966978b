"""Reads of the indicators measured: who may enter values for which indicators, each indicator's series
(baseline → measured values → target) as data for the questionnaire's SVG chart (``surveys/_chart.svg``) and the
table under it, and the objective page's section (registered by ``ImplementationConfig.ready``).

An office enters values for the indicators of the objectives its agenda actions serve (the objective itself or
one below it); the PSM team for every indicator.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from implementation.models import IndicatorValue
from phases.models import Indicator
from projects.models import AgendaAction
from psm_portal.lib.money import format_number
from surveys.results import BAR_WIDTH, ROW_HEIGHT

# The chart's colours (contrast ≥ 4.5:1 on white): the baseline grey, measured values blue, the target green.
BASELINE_FILL = "#5c6f82"
VALUE_FILL = "#0066cc"
TARGET_FILL = "#00734d"


def indicators_for(user) -> QuerySet:
    """The indicators ``user`` may enter values for: all for the team, those of the objectives their office's
    agenda actions serve for office staff, none for anybody else."""
    indicators = Indicator.objects.select_related("objective")
    if user.is_authenticated and user.is_team:
        return indicators
    if user.is_authenticated and user.is_office_staff and user.office_id:
        served = AgendaAction.objects.filter(responsible_office_id=user.office_id).filter(
            Q(objective_id=OuterRef("objective_id"))
            | Q(objective__sort_key__startswith=Concat(OuterRef("objective__sort_key"), Value(".")))
        )
        return indicators.filter(Exists(served))
    return indicators.none()


def with_values(indicators: QuerySet) -> QuerySet:
    """The indicators with their measured values in year order (one more query)."""
    return indicators.prefetch_related(
        Prefetch("measurements", queryset=IndicatorValue.objects.order_by("year", "pk"), to_attr="values_in_order")
    )


def _label(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    text = format_number(value, 0 if value == value.to_integral_value() else 2)
    return f"{text} {unit}".strip()


def series(indicator: Indicator) -> dict:
    """The indicator's chart and table as plain data: baseline, each measured year, target (rows without a value
    are left out of the chart). ``indicator.values_in_order`` must be prefetched (``with_values``)."""
    unit = indicator.unit or ""
    rows: list[dict] = []
    if indicator.baseline is not None:
        rows.append(
            {"label": _("Valore di partenza"), "value": indicator.baseline, "fill": BASELINE_FILL, "kind": "baseline"}
        )
    for measured in indicator.values_in_order:
        rows.append(
            {
                "label": _("Misurato nel %(year)s") % {"year": measured.year},
                "value": measured.value,
                "fill": VALUE_FILL,
                "kind": "value",
                "year": measured.year,
                "source": measured.source,
                "note": measured.note,
            }
        )
    if indicator.target is not None:
        label = _("Obiettivo al %(year)s") % {"year": indicator.year} if indicator.year else _("Valore obiettivo")
        rows.append({"label": label, "value": indicator.target, "fill": TARGET_FILL, "kind": "target"})
    top = max((abs(row["value"]) for row in rows), default=Decimal(0)) or Decimal(1)
    for index, row in enumerate(rows):
        row["y"] = index * ROW_HEIGHT
        row["width"] = float(round(Decimal(BAR_WIDTH) * abs(row["value"]) / top, 1))
        row["extra"] = _label(row["value"], unit)
    measured = [row for row in rows if row["kind"] == "value"]
    if measured:
        description = _(
            "Valore di partenza, valori misurati anno per anno e valore obiettivo dell'indicatore; ultimo valore "
            "misurato: %(value)s nel %(year)s. I numeri sono nella tabella."
        ) % {"value": measured[-1]["extra"], "year": measured[-1]["year"]}
    else:
        description = _("Nessun valore misurato finora: il grafico mostra il valore di partenza e l'obiettivo.")
    return {
        "chart": "values",
        "id": f"indicatore-{indicator.pk}",
        "title": indicator.name,
        "description": description,
        "height": ROW_HEIGHT * len(rows) + 4,
        "drawn": len(rows),
        "rows": rows,
        "measured": len(measured),
    }


def objective_indicators(objective, request) -> dict | None:
    """The objective page's section: each measured indicator's baseline → values → target, chart and table.

    One query, on the values with their indicators (the page has already read its indicators for its table);
    nothing before the first value."""
    values = (
        IndicatorValue.objects.for_objective(objective)
        .select_related("indicator")
        .order_by("indicator__order", "indicator_id", "year", "pk")
    )
    indicators: dict[int, Indicator] = {}
    for measured in values:
        indicator = indicators.setdefault(measured.indicator_id, measured.indicator)
        if not hasattr(indicator, "values_in_order"):
            indicator.values_in_order = []
        indicator.values_in_order.append(measured)
    if not indicators:
        return None
    return {
        "template": "implementation/_objective_indicators.html",
        "objective": objective,
        "charts": [series(indicator) | {"indicator": indicator} for indicator in indicators.values()],
    }
