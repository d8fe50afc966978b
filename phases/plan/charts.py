"""The questionnaire's bar charts as SVG, for the printed plan.

One horizontal bar per option, labelled with count and share, drawn with SVG
presentation attributes only (no styles, no scripts) so that WeasyPrint and the
browser show the same picture.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from psm_portal.lib.money import format_number

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 90
COLOUR = "#0066cc"
TRACK = "#e8eef5"


def bar_chart(question: dict, *, dom_id: str) -> SafeString:
    """An accessible SVG bar chart for one question: ``{"text", "total", "options": [{"label", "count"}]}``."""
    options = question.get("options") or []
    total = question.get("total") or sum(int(o.get("count") or 0) for o in options)
    top = max((int(o.get("count") or 0) for o in options), default=0)
    bars = []
    for index, option in enumerate(options):
        count = int(option.get("count") or 0)
        share = (count / total * 100) if total else 0.0
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": option.get("label", ""),
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": round(BAR_WIDTH * count / top, 1) if top else 0,
                "value": f"{format_number(count, 0)} ({format_number(share, 1)}%)",
            }
        )
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP)
    return render_to_string(
        "phases/plan/pdf/_bar_chart.svg",
        {
            "dom_id": dom_id,
            "title": question.get("text", ""),
            "bars": bars,
            "width": WIDTH,
            "height": height,
            "label_width": LABEL_WIDTH,
            "bar_width": BAR_WIDTH,
            "bar_height": BAR_HEIGHT,
            "value_x": LABEL_WIDTH + BAR_WIDTH + 6,
            "colour": COLOUR,
            "track": TRACK,
        },
    )
