"""Public open data, no sign-in: the objectives tree and the positions of closed reviews, as CSV files."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.views.decorators.http import require_GET

from phases.models import Objective, Position, VisionVersion
from psm_portal.lib.csvexport import csv_response


@require_GET
def opendata_objectives(request):
    objectives = Objective.objects.in_tree_order().select_related("parent").prefetch_related("indicators")

    def rows():
        for o in objectives:
            indicators = "; ".join(
                f"{i.name} ({i.unit or '-'}): {i.baseline if i.baseline is not None else '-'} → "
                f"{i.target if i.target is not None else '-'} ({i.year or '-'})"
                for i in o.indicators.all()
            )
            yield [o.code, o.level, o.parent.code if o.parent else "", o.title, indicators]

    return csv_response("obiettivi.csv", ["code", "level", "parent_code", "title", "indicators"], rows())


@require_GET
def opendata_positions(request):
    # Positions of a review in progress are not published until the review is closed. Plain tuples, no
    # model instances: the file has a row per municipality or office, objective and version.
    rows = (
        Position.objects.filter(version__in=VisionVersion.objects.reviewed())
        .order_by(
            "version__number",
            F("municipality_id").asc(nulls_last=True),
            "office_id",
            F("objective__sort_key").asc(nulls_first=True),
        )
        .values_list(
            "version__number",
            "municipality_id",
            "municipality__name",
            "office__code",
            "office__name",
            "objective__code",
            "stance",
            "comment",
            "updated_at",
        )
    )

    def lines():
        for number, istat, municipality, office_code, office, objective, stance, comment, updated in rows.iterator(
            chunk_size=2000
        ):
            subject = ("comune", istat, municipality) if istat else ("ufficio", office_code, office)
            day = timezone.localtime(updated).date().isoformat()
            yield [number, *subject, objective or "VISIONE", stance, comment, day]

    header = ["version", "subject_type", "subject_code", "subject_name", "objective_code", "stance", "comment", "date"]
    return csv_response("posizioni.csv", header, lines())
