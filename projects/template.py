"""The downloadable spreadsheet template: a "Progetti" sheet and an "Istruzioni" sheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from projects.importer import COLUMNS, FUNDING_LABELS
from projects.models import Status

EXAMPLE = {
    "local_code": "VIA-2025-001",
    "cup": "B33C22000020006",
    "title": "Messa in sicurezza della strada provinciale 122",
    "summary": "Consolidamento del versante e rifacimento del manto stradale.",
    "status": "finanziato",
    "priority": "alta",
    "municipality_codes": "083065",
    "municipality_names": "Pagliara",
    "whole_area": "no",
    "total_cost": "1.250.000,00",
    "funding:pnrr": "1.000.000,00",
    "funding:metro_city": "250.000,00",
    "planned_start": "01/03/2025",
    "planned_end": "31/12/2026",
}


def _instructions() -> list[tuple[str, str]]:
    statuses = ", ".join(str(label) for _value, label in Status.choices)
    rows = [
        ("Codice locale", _("Il codice che l'ufficio usa per il progetto. Serve a riconoscere i progetti senza CUP.")),
        (
            "CUP",
            _("Codice Unico di Progetto, 15 caratteri (es. B33C22000020006). Obbligatorio tranne che per le idee."),
        ),
        ("Titolo", _("Obbligatorio, al massimo 300 caratteri.")),
        ("Sintesi", _("Facoltativa, al massimo 1.000 caratteri.")),
        ("Descrizione", _("Facoltativa.")),
        ("Stato", _("Uno di: %(statuses)s. Vuoto = programmato.") % {"statuses": statuses}),
        ("Priorità", _("alta, media o bassa. Vuoto = media.")),
        (
            "Codici ISTAT dei comuni",
            _("Uno o più codici ISTAT a 6 cifre separati da punto e virgola (es. 083048;083041)."),
        ),
        (
            "Comuni",
            _(
                "In alternativa ai codici: i nomi dei comuni separati da punto e virgola; maiuscole e accenti non contano."
            ),
        ),
        ("Intera area metropolitana", _("«sì» se il progetto riguarda tutto il territorio metropolitano.")),
        (
            "Codici obiettivo",
            _("I codici degli obiettivi specifici del piano (es. A1.2), separati da punto e virgola."),
        ),
        ("Costo totale", _("In euro, all'italiana: 1.234.567,89. Se vuoto è la somma dei finanziamenti.")),
    ]
    rows += [
        (label, _("Importo in euro della fonte, all'italiana. Vuoto se la fonte non finanzia il progetto."))
        for label in FUNDING_LABELS.values()
    ]
    rows += [
        ("Inizio previsto / Fine prevista", _("Date nel formato gg/mm/aaaa; la fine non può precedere l'inizio.")),
        ("Inizio effettivo / Fine effettiva", _("Date nel formato gg/mm/aaaa.")),
        (
            _("Altri formati"),
            _("Si possono caricare anche i file di OpenCoesione e del PNRR (Italia Domani) così come sono."),
        ),
        (_("Formule"), _("Non usare formule nelle celle: scrivi i valori.")),
        (
            _("Aggiornamenti"),
            _(
                "Ricaricando lo stesso file i progetti si aggiornano (per CUP, altrimenti per codice locale): nessun doppione."
            ),
        ),
    ]
    return rows


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Progetti"
    sheet.append([column.label for column in COLUMNS])
    sheet.append([EXAMPLE.get(column.key, "") for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = max(14, len(str(column_cells[0].value)) + 2)
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("Istruzioni")
    help_sheet.append([_("Colonna"), _("Come compilarla")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for name, text in _instructions():
        help_sheet.append([name, text])
    help_sheet.column_dimensions["A"].width = 34
    help_sheet.column_dimensions["B"].width = 110
    for row in help_sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
