"""Open data of the published projects: one CSV row or JSON object per project (CC BY 4.0)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import FundingSource, Project
from psm_portal.lib.csvexport import csv_response
from psm_portal.lib.opendata import Dataset

# The entries in the open-data catalogue (registered by ``ProjectsConfig.ready``).
DATASETS = [
    Dataset(_("Progetti"), _("I progetti pubblicati del parco progettuale."), "projects:opendata_csv", "CSV"),
    Dataset(_("Progetti (JSON)"), _("I progetti pubblicati, in JSON."), "projects:opendata_json", "JSON"),
    Dataset(
        _("Agenda annuale delle azioni"),
        _(
            "Le azioni delle agende annuali: per ogni anno la versione approvata dal Consiglio o, prima, quella sottoposta."
        ),
        "projects:agenda_csv",
        "CSV",
    ),
]

FUNDING_COLUMNS = [f"funding_{source}" for source, _label in FundingSource.choices]
HEADER = [
    "id",
    "cup",
    "local_code",
    "title",
    "office_code",
    "office",
    "municipalities_istat",
    "whole_area",
    "objective_codes",
    "status",
    "priority",
    "total_cost",
    *FUNDING_COLUMNS,
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "updated_at",
    "url",
]


def _projects():
    return Project.objects.published().for_listing().with_objectives().prefetch_related("funding_lines").order_by("pk")


def _date(value) -> str:
    return value.isoformat() if value else ""


def records() -> Iterator[dict]:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for project in _projects().iterator(chunk_size=1000):
        funding = {line.source: line.amount for line in project.funding_lines.all()}
        yield {
            "id": project.pk,
            "cup": project.cup,
            "local_code": project.local_code,
            "title": project.title,
            "office_code": project.office.code,
            "office": project.office.name,
            "municipalities_istat": sorted(m.istat_code for m in project.municipalities.all()),
            "whole_area": project.whole_area,
            "objective_codes": [objective.code for objective in project.objectives.all()],
            "status": project.status,
            "priority": project.priority,
            "total_cost": project.total_cost,
            "funding": {source: funding.get(source) for source, _label in FundingSource.choices},
            "planned_start": _date(project.planned_start),
            "planned_end": _date(project.planned_end),
            "actual_start": _date(project.actual_start),
            "actual_end": _date(project.actual_end),
            "updated_at": timezone.localtime(project.updated_at).isoformat(timespec="seconds"),
            "url": base + project.get_absolute_url(),
        }


def csv_download():
    def rows():
        for record in records():
            yield [
                record["id"],
                record["cup"],
                record["local_code"],
                record["title"],
                record["office_code"],
                record["office"],
                ";".join(record["municipalities_istat"]),
                int(record["whole_area"]),
                ";".join(record["objective_codes"]),
                record["status"],
                record["priority"],
                record["total_cost"] if record["total_cost"] is not None else "",
                *[amount if amount is not None else "" for amount in record["funding"].values()],
                record["planned_start"],
                record["planned_end"],
                record["actual_start"],
                record["actual_end"],
                record["updated_at"],
                record["url"],
            ]

    return csv_response("progetti.csv", HEADER, rows())


def json_document() -> dict:
    def plain(record: dict) -> dict:
        record = dict(record)
        record["total_cost"] = f"{record['total_cost']:.2f}" if record["total_cost"] is not None else None
        record["funding"] = {k: f"{v:.2f}" for k, v in record["funding"].items() if v is not None}
        return record

    return {
        "title": "Progetti del Piano Strategico Metropolitano di Messina",
        "licence": "CC-BY-4.0",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "projects": [plain(record) for record in records()],
    }
