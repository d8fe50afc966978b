"""Bulk reporting from the monitoring files offices already have: an OpenCoesione export (``TOT_PAGAMENTI``,
``IMPEGNI``, ``OC_STATO_PROGETTO``, ``OC_DATA_INIZIO_PROGETTO``, ``OC_DATA_FINE_PROGETTO_EFFETTIVA``…), a PNRR/ReGiS
extraction («Importo pagamenti», «Data di Fine Progetto Effettiva»…) or our own columns, one row per project.

Reading, bounds and cell parsers are the project importer's (``projects.importer``; the columns and the parsers of
its own in ``implementation.monitoring_columns``): the same encodings, zip
checks, Italian amounts and dates, and errors with row and column. ``read_reports`` gives a preview, nothing
written; ``import_reports`` writes every row as a progress report in one transaction through
``implementation.services.report_submit`` (scope, cycle and state checked again), or none. The team then
validates the reports as any other.

From a row to a report:

- the project: by CUP, else by the local code among the projects the user may report on; another office's
  project, an unpublished one, one already reported in the cycle or named twice in the file is an error;
- money: committed (impegni) and paid (pagamenti) under the file's funding source, else the project's largest
  funding line; a payment without commitments counts as committed too;
- state: the file's (OpenCoesione's «In corso», «Concluso», «Non avviato», or ours), else from the actual dates;
- completion: the file's percentage, else 100 for a finished project, 0 for one not started, else the payments
  over the cost (the file's public funding, else the project's cost) — the preview says so;
- milestones: start and end, planned and actual, when the file has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from implementation.models import Progress, ProgressReport, ReportingCycle, Review
from implementation.monitoring_columns import ALIASES, COLUMNS, MONITORED, is_monitoring_sheet
from implementation.services import check_progress, report_submit
from implementation.subjects import projects_for
from projects.importer import CellError, ImportFileError, RowError, chunks
from projects.importer.columns import map_columns
from projects.importer.reading import read_table
from projects.models import FundingLine, Project
from psm_portal.audit.services import audit_record
from psm_portal.lib.money import format_number

# Each row is written through report_submit within the request (about 10 queries a row: 300 rows took 6 s on a
# loaded machine), so a file holds fewer rows than the project importer's 20,000: an office's portfolio fits.
MAX_ROWS = 500
PREVIEW_ROWS = 200


# --- Preview --------------------------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    """What one row of the file will report."""

    row: int
    project_id: int
    title: str
    cup: str
    progress: str
    percent: int
    percent_derived: bool
    committed: Decimal | None
    paid: Decimal | None
    source: str | None
    note: str
    milestones: list[dict]

    @property
    def progress_label(self) -> str:
        return str(Progress(self.progress).label)

    def as_dict(self) -> dict:
        """The row as carried from the preview to the write (JSON: amounts and dates as text)."""
        return {
            "row": self.row,
            "project": self.project_id,
            "progress": self.progress,
            "percent": self.percent,
            "committed": None if self.committed is None else str(self.committed),
            "paid": None if self.paid is None else str(self.paid),
            "source": self.source,
            "note": self.note,
            "milestones": [
                {k: v.isoformat() if isinstance(v, date) else v for k, v in m.items()} for m in self.milestones
            ],
        }


@dataclass
class ReportsPreview:
    rows: list[ReportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def first_rows(self) -> list[ReportRow]:
        return self.rows[:PREVIEW_ROWS]


def read_reports(data: bytes, *, user, cycle: ReportingCycle) -> ReportsPreview:
    """Read and check a whole monitoring file for ``user`` in ``cycle``: nothing is written."""
    try:
        header, rows = read_table(data, wanted=is_monitoring_sheet)
        return _build(header, rows, user=user, cycle=cycle)
    except ImportFileError as exc:
        return ReportsPreview(errors=[RowError(0, "", str(exc))])


def _missing(columns) -> list[RowError]:
    errors = []
    if not (columns.has("cup") or columns.has("local_code")):
        errors.append(
            RowError(
                1,
                "CUP",
                _(
                    "Manca una colonna per riconoscere i progetti: serve «CUP» oppure «Codice locale» "
                    "(«COD_LOCALE_PROGETTO»)."
                ),
            )
        )
    if not any(columns.has(key) for key in MONITORED):
        errors.append(
            RowError(
                1,
                "",
                _(
                    "Il file non ha colonne di monitoraggio: servono almeno una tra «Pagato» («TOT_PAGAMENTI»), "
                    "«Impegnato» («IMPEGNI»), «Avanzamento (%)», «Stato» («OC_STATO_PROGETTO») e le date effettive "
                    "di inizio e fine."
                ),
            )
        )
    return errors


def _cells(number: int, cells: list, columns) -> tuple[dict, list[RowError]]:
    values: dict = {}
    errors: list[RowError] = []
    for column, positions in columns.present:
        raw = cells[positions[0]] if positions[0] < len(cells) else None
        try:
            values[column.key] = column.parse(raw, None)
        except CellError as exc:
            errors.extend(RowError(number, columns.labels[column.key], str(message)) for message in exc.args)
    return values, errors


def _build(header: list, rows: list[tuple[int, list]], *, user, cycle: ReportingCycle) -> ReportsPreview:
    preview = ReportsPreview(total_rows=len(rows))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _(
                "Il file ha più di %(max)s righe: se ne possono rendicontare al massimo %(max)s per volta; "
                "dividilo in più file."
            )
            % {"max": format_number(MAX_ROWS)}
        )
    columns = map_columns(header, COLUMNS, ALIASES)
    preview.errors.extend(_missing(columns))
    if preview.errors:
        return preview
    if not rows:
        raise ImportFileError(_("Il file contiene solo l'intestazione: non ci sono righe di progetti."))
    if columns.ignored:
        preview.notes.append(
            _("Colonne non usate: %(names)s.") % {"names": ", ".join(f"«{name}»" for name in columns.ignored[:30])}
        )
    parsed = []
    for number, cells in rows:
        values, errors = _cells(number, cells, columns)
        preview.errors.extend(errors)
        if not errors:
            parsed.append((number, values))
    projects = _Projects(user, cycle, parsed)
    seen: dict[int, int] = {}
    derived = 0
    for number, values in parsed:
        label = columns.labels.get("cup") or columns.labels.get("local_code", "")
        project, error = projects.find(values)
        if error:
            preview.errors.append(RowError(number, label, error))
            continue
        if project["pk"] in seen:
            preview.errors.append(
                RowError(number, label, _("il progetto è già alla riga %(row)s") % {"row": seen[project["pk"]]})
            )
            continue
        seen[project["pk"]] = number
        row, errors = _report_row(number, values, project, projects, columns)
        preview.errors.extend(errors)
        if row is not None:
            derived += row.percent_derived
            preview.rows.append(row)
    if derived:
        preview.notes.append(
            _(
                "Per %(n)s righe senza percentuale di completamento la percentuale è calcolata dai pagamenti sul costo "
                "del progetto."
            )
            % {"n": derived}
        )
    preview.errors.sort(key=lambda error: error.row)
    return preview


class _Projects:
    """The projects the rows name, read in a few queries (by CUP and local code, in chunks)."""

    def __init__(self, user, cycle: ReportingCycle, parsed: list[tuple[int, dict]]):
        self.user = user
        cups = sorted({values.get("cup") or "" for _number, values in parsed} - {""})
        codes = sorted({values.get("local_code") or "" for _number, values in parsed} - {""})
        fields = ("pk", "cup", "local_code", "title", "office_id", "publication", "total_cost")
        self.by_cup: dict[str, dict] = {}
        for chunk in chunks(cups):
            for project in Project.objects.filter(cup__in=chunk).values(*fields):
                self.by_cup[project["cup"]] = project
        self.by_code: dict[str, list[dict]] = {}
        for chunk in chunks(codes):
            for project in projects_for(user).filter(local_code__in=chunk).values(*fields):
                self.by_code.setdefault(project["local_code"], []).append(project)
        ids = sorted({p["pk"] for p in self.by_cup.values()} | {p["pk"] for ps in self.by_code.values() for p in ps})
        self.allowed: set[int] = set()
        self.main_source: dict[int, str] = {}
        self.reported: dict[int, str] = {}
        for chunk in chunks(ids):
            self.allowed.update(projects_for(user).filter(pk__in=chunk).values_list("pk", flat=True))
            for project_id, source in (
                FundingLine.objects.filter(project_id__in=chunk)
                .order_by("project_id", "-amount", "pk")
                .values_list("project_id", "source")
            ):
                self.main_source.setdefault(project_id, source)
            self.reported.update(
                ProgressReport.objects.filter(
                    cycle=cycle, project_id__in=chunk, review__in=[Review.SUBMITTED, Review.VALIDATED]
                ).values_list("project_id", "review")
            )

    def find(self, values: dict) -> tuple[dict | None, str | None]:
        cup, code = values.get("cup") or "", values.get("local_code") or ""
        if cup:
            project = self.by_cup.get(cup)
            if project is None:
                return None, _("nessun progetto del portale ha il CUP %(cup)s") % {"cup": cup}
        elif code:
            found = self.by_code.get(code, [])
            if not found:
                return None, _("nessuno dei vostri progetti ha il codice locale «%(code)s»") % {"code": code}
            if len(found) > 1:
                return None, _("più progetti hanno il codice locale «%(code)s»: indicate il CUP") % {"code": code}
            project = found[0]
        else:
            return None, _("la riga non ha né il CUP né il codice locale")
        if project["pk"] not in self.allowed:
            if not self.user.is_team and project["office_id"] != self.user.office_id:
                return None, _("il progetto «%(title)s» è di un altro ufficio: rendicontate solo i vostri") % {
                    "title": project["title"][:80]
                }
            return None, _("il progetto «%(title)s» non è pubblicato: si rendicontano solo i progetti pubblicati") % {
                "title": project["title"][:80]
            }
        review = self.reported.get(project["pk"])
        if review == Review.VALIDATED:
            return None, _("la rilevazione di questo ciclo per «%(title)s» è già stata validata") % {
                "title": project["title"][:80]
            }
        if review == Review.SUBMITTED:
            return None, _("c'è già una rilevazione in attesa di verifica per «%(title)s» in questo ciclo") % {
                "title": project["title"][:80]
            }
        return project, None


def _report_row(number: int, values: dict, project: dict, projects: _Projects, columns) -> tuple:
    errors: list[RowError] = []

    def error(key: str, message: str) -> None:
        errors.append(RowError(number, columns.labels.get(key, ""), message))

    today = timezone.localdate()
    start, end = values.get("actual_start"), values.get("actual_end")
    for key, day in (("actual_start", start), ("actual_end", end)):
        if day and day > today:
            error(key, _("la data effettiva %(date)s è futura") % {"date": day.strftime("%d/%m/%Y")})
    if start and end and end < start:
        error("actual_end", _("la fine effettiva precede l'inizio effettivo"))
    committed, paid = values.get("committed"), values.get("paid")
    if committed is None and paid is not None:
        committed = paid  # a payment is committed money
    if paid is not None and committed is not None and paid > committed:
        error("paid", _("i pagamenti superano gli impegni"))
    source = values.get("source") or projects.main_source.get(project["pk"])
    if committed is not None and source is None:
        error(
            "source",
            _("il progetto non ha fonti di finanziamento: aggiungete la colonna «Fonte» (per esempio PNRR o FSC)"),
        )
    percent, progress = values.get("percent"), values.get("progress")
    if progress is None:
        if end or percent == 100:
            progress = Progress.COMPLETED
        elif start or (paid or 0) > 0 or (percent or 0) > 0:
            progress = Progress.ON_TRACK
        else:
            progress = Progress.NOT_STARTED
    derived = False
    if percent is None:
        cost = values.get("cost") or project["total_cost"]
        if progress == Progress.COMPLETED:
            percent = 100
        elif progress == Progress.NOT_STARTED:
            percent = 0
        elif paid is not None and cost:
            percent, derived = min(100, int(paid * 100 / cost)), True
        else:
            error(
                "percent",
                _(
                    "manca la percentuale di completamento: aggiungete la colonna «Avanzamento (%)» oppure i "
                    "pagamenti e il costo del progetto"
                ),
            )
    if percent is not None:
        try:
            check_progress(progress, percent)
        except ValidationError as exc:
            for message in exc.messages:
                error("percent" if columns.has("percent") else "progress", message)
    if errors:
        return None, errors
    milestones = []
    for title, planned, actual in (
        (_("Avvio del progetto"), values.get("planned_start"), start),
        (_("Conclusione del progetto"), values.get("planned_end"), end),
    ):
        if planned or actual:
            milestones.append({"title": title, "planned_on": planned or actual, "achieved_on": actual})
    row = ReportRow(
        row=number,
        project_id=project["pk"],
        title=project["title"],
        cup=project["cup"],
        progress=progress,
        percent=percent,
        percent_derived=derived,
        committed=committed,
        paid=paid,
        source=source if committed is not None else None,
        note=(values.get("note") or "")[:2000],
        milestones=milestones,
    )
    return row, []


# --- Write ----------------------------------------------------------------------------------------------------------


def import_reports(*, user, cycle: ReportingCycle, rows: list[dict]) -> list[ProgressReport]:
    """Write the checked rows (``ReportRow.as_dict``) as progress reports of ``user`` in ``cycle``: all in one
    transaction through ``report_submit``, which checks each again; the first refusal undoes them all."""
    if not rows:
        raise ValidationError(_("Il file non ha righe da rendicontare."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Troppe righe in una volta."))
    projects = {p.pk: p for p in Project.objects.filter(pk__in=[row["project"] for row in rows])}
    reports = []
    with transaction.atomic():
        for row in rows:
            project = projects.get(row["project"])
            if project is None:
                raise ValidationError(_("Riga %(row)s: il progetto non esiste più.") % {"row": row["row"]})
            funding = []
            if row["committed"] is not None:
                funding = [{"source": row["source"], "committed": row["committed"], "paid": row["paid"] or "0"}]
            milestones = [
                {
                    "title": m["title"],
                    "planned_on": date.fromisoformat(m["planned_on"]),
                    "achieved_on": date.fromisoformat(m["achieved_on"]) if m["achieved_on"] else None,
                }
                for m in row["milestones"]
            ]
            try:
                reports.append(
                    report_submit(
                        user=user,
                        cycle=cycle,
                        subject=project,
                        progress=row["progress"],
                        percent=row["percent"],
                        note=row["note"],
                        milestones=milestones,
                        funding=funding,
                    )
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Riga %(row)s: %(message)s Nessuna rilevazione è stata salvata.")
                    % {"row": row["row"], "message": " ".join(exc.messages)}
                )
        audit_record(actor=user, action="report.import", obj=cycle, after={"reports": len(reports)})
    return reports
