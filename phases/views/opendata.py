"""Open data: the objectives tree and the positions of closed reviews."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.views.decorators.http import require_GET

from phases.models import Objective, Position, VisionStatus
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
    # Positions of a review in progress are not published until the review is closed.
    positions = (
        Position.objects.exclude(version__status__in=[VisionStatus.DRAFT, VisionStatus.OPEN])
        .select_related("version", "objective", "municipality", "office")
        .only(
            "stance",
            "comment",
            "updated_at",
            "version__number",
            "objective__code",
            "municipality__istat_code",
            "municipality__name",
            "office__code",
            "office__name",
        )
        .order_by(
            "version__number",
            F("municipality_id").asc(nulls_last=True),
            "office_id",
            F("objective__sort_key").asc(nulls_first=True),
        )
    )

    def rows():
        for p in positions.iterator(chunk_size=2000):
            if p.municipality_id:
                kind, code, name = "comune", p.municipality.istat_code, p.municipality.name
            else:
                kind, code, name = "ufficio", p.office.code, p.office.name
            yield [
                p.version.number,
                kind,
                code,
                name,
                p.objective.code if p.objective_id else "VISIONE",
                p.stance,
                p.comment,
                timezone.localtime(p.updated_at).date().isoformat(),
            ]

    header = ["version", "subject_type", "subject_code", "subject_name", "objective_code", "stance", "comment", "date"]
    return csv_response("posizioni.csv", header, rows())
