"""Open data of implementation: one CSV row per project or action per validated report (CC BY 4.0).
No personal data: who sent or validated a report is not published, only the office."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from implementation.models import IndicatorValue, Milestone, ProgressReport
from projects.choices import FundingSource
from psm_portal.lib.csvexport import csv_response
from psm_portal.lib.opendata import Dataset

DATASETS = [
    Dataset(
        _("Attuazione del piano"),
        _(
            "Le rilevazioni validate dell'avanzamento di progetti e azioni dell'agenda: una riga per rilevazione, "
            "con stato, percentuale, traguardi e importi impegnati e pagati per fonte."
        ),
        "implementation:opendata_csv",
        "CSV",
    ),
    Dataset(
        _("Indicatori misurati"),
        _(
            "I valori misurati degli indicatori degli obiettivi, anno per anno, con valore di partenza, obiettivo e "
            "fonte: una riga per indicatore e anno."
        ),
        "implementation:opendata_indicators",
        "CSV",
    ),
]

SOURCES = [source for source, _label in FundingSource.choices]
HEADER = [
    "report_id",
    "cycle",
    "cycle_opens",
    "cycle_closes",
    "subject_type",
    "subject_id",
    "code",
    "title",
    "office_code",
    "office",
    "submitted_on",
    "validated_on",
    "progress",
    "percent",
    "committed_total",
    "paid_total",
    *[f"committed_{source}" for source in SOURCES],
    *[f"paid_{source}" for source in SOURCES],
    "milestones",
    "note",
    "url",
]


def _reports():
    return (
        ProgressReport.objects.public()
        .select_related("cycle", "office", "project", "action__agenda")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "pk")), "funding")
        .order_by("cycle__opens_on", "pk")
    )


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _milestones(report) -> str:
    return "; ".join(
        f"{m.title} ({m.planned_on.isoformat()}{' → ' + m.achieved_on.isoformat() if m.achieved_on else ''})"
        for m in report.milestones.all()
    )


def rows() -> Iterator[list]:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for report in _reports().iterator(chunk_size=1000):
        funding = {line.source: line for line in report.funding.all()}
        if report.project_id:
            kind, subject_id, code = "project", report.project_id, report.project.cup
            url = base + report.project.get_absolute_url()
        else:
            kind, subject_id, code = "action", report.action_id, report.action.code
            url = base + reverse("projects:agenda_year", args=[report.action.agenda.year])
        yield [
            report.pk,
            report.cycle.title,
            report.cycle.opens_on.isoformat(),
            report.cycle.closes_on.isoformat(),
            kind,
            subject_id,
            code,
            report.project.title if report.project_id else report.action.title,
            report.office.code,
            report.office.name,
            _day(report.submitted_at),
            _day(report.reviewed_at),
            report.progress,
            report.percent,
            report.committed_total,
            report.paid_total,
            *[funding[s].committed if s in funding else "" for s in SOURCES],
            *[funding[s].paid if s in funding else "" for s in SOURCES],
            _milestones(report),
            report.note,
            url,
        ]


def csv_download():
    return csv_response("attuazione.csv", HEADER, rows())


INDICATOR_HEADER = [
    "indicator_id",
    "objective_code",
    "objective",
    "indicator",
    "unit",
    "baseline",
    "target",
    "target_year",
    "year",
    "value",
    "source",
    "note",
    "url",
]


def indicator_rows() -> Iterator[list]:
    """One row per indicator and measured year, in the tree's order; who entered a value is not published."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    values = IndicatorValue.objects.select_related("indicator__objective").order_by(
        "indicator__objective__sort_key", "indicator__order", "indicator_id", "year"
    )
    for measured in values.iterator(chunk_size=1000):
        indicator = measured.indicator
        yield [
            indicator.pk,
            indicator.objective.code,
            indicator.objective.title,
            indicator.name,
            indicator.unit,
            "" if indicator.baseline is None else indicator.baseline,
            "" if indicator.target is None else indicator.target,
            indicator.year or "",
            measured.year,
            measured.value,
            measured.source,
            measured.note,
            base + indicator.objective.get_absolute_url(),
        ]


def indicators_csv_download():
    return csv_response("indicatori.csv", INDICATOR_HEADER, indicator_rows())
