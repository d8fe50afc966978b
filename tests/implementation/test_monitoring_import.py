"""Bulk reporting from monitoring files: a realistic OpenCoesione export with payments (tests/implementation/data,
real PNRR CUPs of the area), a ReGiS-shaped Excel file, the bad-file corpus (Italian messages, nothing written),
the whole cast on the page, offices limited to their own projects, the team validating the imported reports."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from implementation.importer import import_reports, read_reports
from implementation.models import FundingProgress, Milestone, ProgressReport, Review
from implementation.services import report_validate
from projects.factories import ProjectFactory
from psm_portal.audit.models import AuditEvent
from tests import bombs
from tests.conftest import CAST
from tests.implementation.conftest import expected

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
OPENCOESIONE = (DATA / "opencoesione_pagamenti.csv").read_bytes()
CUPS = {
    "pagliara": "B33C22000020006",
    "torrente": "B38H22000040006",
    "illuminazione": "B38I22000080006",
    "castello": "B41B22000930006",
}
OTHER_OFFICE_CUP = "B41B22001050006"


@pytest.fixture
def monitored(office_a, office_b, messina, tree):
    """The four projects of the OpenCoesione file, office A's; one more of office B."""
    projects = {
        key: ProjectFactory(
            office=office_a,
            cup=cup,
            title=f"Progetto {key}",
            municipalities=[messina],
            objectives=[tree["A1.1"]],
            funding={"pnrr": Decimal("500000"), "municipality": Decimal("10000")},
            total_cost=Decimal("510000"),
            published_at=timezone.now(),
        )
        for key, cup in CUPS.items()
    }
    projects["other"] = ProjectFactory(
        office=office_b, cup=OTHER_OFFICE_CUP, title="Progetto di un altro ufficio", published_at=timezone.now()
    )
    return projects


def test_the_opencoesione_export_becomes_four_reports(final_phase, office_a_user, cycle, monitored):
    preview = read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle)
    assert preview.errors == []
    assert preview.ok and len(preview.rows) == 4
    rows = {row.cup: row for row in preview.rows}
    pagliara = rows[CUPS["pagliara"]]
    # «In corso», no percentage: the payments over the file's public funding (262.500 / 875.000).
    assert (pagliara.progress, pagliara.percent, pagliara.percent_derived) == ("on_track", 30, True)
    assert (pagliara.committed, pagliara.paid, pagliara.source) == (Decimal("612500.00"), Decimal("262500.00"), "pnrr")
    assert pagliara.milestones == [
        {"title": "Avvio del progetto", "planned_on": date(2023, 3, 1), "achieved_on": date(2023, 4, 15)},
        {"title": "Conclusione del progetto", "planned_on": date(2026, 6, 30), "achieved_on": None},
    ]
    assert (rows[CUPS["torrente"]].progress, rows[CUPS["torrente"]].percent) == ("completed", 100)
    assert (rows[CUPS["illuminazione"]].progress, rows[CUPS["illuminazione"]].percent) == ("not_started", 0)
    assert rows[CUPS["castello"]].percent == 38  # 950.000 / 2.500.000 (FINANZ_TOTALE_PUBBLICO, the first cost column)
    assert any("OC_TEMA_SINTETICO" in note for note in preview.notes)  # the columns not used are named

    reports = import_reports(user=office_a_user, cycle=cycle, rows=[row.as_dict() for row in preview.rows])
    assert len(reports) == 4
    assert ProgressReport.objects.filter(review=Review.SUBMITTED, author=office_a_user).count() == 4
    torrente = ProgressReport.objects.get(project=monitored["torrente"])
    assert (torrente.progress, torrente.percent, torrente.committed_total, torrente.paid_total) == (
        "completed",
        100,
        Decimal("1200000.00"),
        Decimal("1200000.00"),
    )
    assert FundingProgress.objects.get(report=torrente).source == "pnrr"
    assert Milestone.objects.get(report=torrente, title="Conclusione del progetto").achieved_on == date(2025, 3, 10)
    assert AuditEvent.objects.filter(action="report.import").count() == 1
    assert AuditEvent.objects.filter(action="report.submit").count() == 4


def test_the_team_validates_an_imported_report_and_the_public_page_shows_it(
    final_phase, client, office_a_user, team_user, cycle, monitored
):
    preview = read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle)
    import_reports(user=office_a_user, cycle=cycle, rows=[row.as_dict() for row in preview.rows])
    report = ProgressReport.objects.get(project=monitored["castello"])
    report_validate(user=team_user, report=report)
    html = client.get(monitored["castello"].get_absolute_url()).content.decode()
    assert "38" in html and "950.000,00" in html


def regis_xlsx(rows: list[list]) -> bytes:
    """A ReGiS-shaped extraction: an instructions sheet first, then the data with PNRR column names."""
    workbook = Workbook()
    workbook.active.title = "Istruzioni"
    workbook.active.append(["Estrazione ReGiS dei progetti del soggetto attuatore"])
    sheet = workbook.create_sheet("Progetti")
    sheet.append(
        [
            "Codice CUP",
            "Titolo Progetto",
            "Fonte",
            "Importo impegni",
            "Importo pagamenti",
            "Avanzamento fisico (%)",
            "Data di Inizio Progetto Effettiva",
            "Data di Fine Progetto Effettiva",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_regis_excel_file(final_phase, office_a_user, cycle, monitored):
    data = regis_xlsx(
        [
            [CUPS["pagliara"], "Scuola", "PNRR", 100000.5, 40000, 0.45, date(2024, 2, 1), None],
            [CUPS["castello"], "Castello", "Finanziamento comune", "10.000,00", "2.500,00", "12%", "01/03/2024", None],
        ]
    )
    preview = read_reports(data, user=office_a_user, cycle=cycle)
    assert preview.errors == []
    rows = {row.cup: row for row in preview.rows}
    assert (rows[CUPS["pagliara"]].percent, rows[CUPS["pagliara"]].committed) == (45, Decimal("100000.50"))
    assert (rows[CUPS["castello"]].percent, rows[CUPS["castello"]].source) == (12, "municipality")


def csv_file(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


HEADER = "CUP;IMPEGNI;TOT_PAGAMENTI;OC_STATO_PROGETTO;OC_DATA_INIZIO_PROGETTO;OC_DATA_FINE_PROGETTO_EFFETTIVA"
GOOD = f"{CUPS['pagliara']};1000,00;500,00;In corso;20240101;"


BAD_FILES = {
    "empty": (b"", "Il file è vuoto"),
    "header only": (csv_file(HEADER), "solo l'intestazione"),
    "no project column": (csv_file("Titolo;TOT_PAGAMENTI", "Scuola;100"), "Manca una colonna per riconoscere"),
    "no monitoring column": (csv_file("CUP;Titolo", f"{CUPS['pagliara']};Scuola"), "non ha colonne di monitoraggio"),
    "unknown CUP": (csv_file(HEADER, "J12B22000000001;1000;500;In corso;20240101;"), "nessun progetto del portale"),
    "another office's project": (csv_file(HEADER, f"{OTHER_OFFICE_CUP};1000;500;In corso;20240101;"), "altro ufficio"),
    "bad amount": (csv_file(HEADER, f"{CUPS['pagliara']};mille;500;In corso;20240101;"), "non è un importo"),
    "negative amount": (csv_file(HEADER, f"{CUPS['pagliara']};1000;-5;In corso;20240101;"), "negativo"),
    "paid over committed": (csv_file(HEADER, f"{CUPS['pagliara']};100;500;In corso;20240101;"), "superano gli impegni"),
    "bad date": (csv_file(HEADER, f"{CUPS['pagliara']};1000;500;In corso;20241345;"), "non esiste"),
    "future actual date": (csv_file(HEADER, f"{CUPS['pagliara']};1000;500;In corso;20990101;"), "è futura"),
    "end before start": (csv_file(HEADER, f"{CUPS['pagliara']};1000;1000;;20240301;20240101;"), "precede"),
    "unknown state": (csv_file(HEADER, f"{CUPS['pagliara']};1000;500;Boh;20240101;"), "sconosciuto"),
    "completed but 40%": (
        csv_file("CUP;Avanzamento;OC_STATO_PROGETTO", f"{CUPS['pagliara']};40;Concluso"),
        "completo al 100%",
    ),
    "percent over 100": (csv_file("CUP;Avanzamento", f"{CUPS['pagliara']};140"), "da 0 a 100"),
    "same project twice": (csv_file(HEADER, GOOD, GOOD), "già alla riga 2"),
    "formula": (csv_file(HEADER, f"{CUPS['pagliara']};=SUM(A1:A9);500;In corso;20240101;"), "formula"),
    "utf-16": ("CUP;TOT_PAGAMENTI\n".encode("utf-16"), "UTF-16"),
    "unknown encoding": (b"CUP;TOT_PAGAMENTI\nB33C22000020006;1\x81\n", "codifica del file non è riconosciuta"),
    "too big": (b"CUP;TOT_PAGAMENTI\n" + b"B33C22000020006;1\n" * 600_000, "il limite è 10 MB"),
    "binary": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "non è un foglio di calcolo"),
    "old excel": (b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".xls"),
    "zip bomb": (bombs.xlsx_zip_bomb(1024), "supererebbe 200 MB"),
    "sheet bomb": (bombs.sheet_bomb(), "oltre la colonna IV"),
    "too many rows": (csv_file(HEADER, *[GOOD] * 501), "al massimo 500 per volta"),
    "not a number percent": (csv_file("CUP;Avanzamento", f"{CUPS['pagliara']};NaN"), "da 0 a 100"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_refused_in_italian_and_nothing_is_written(
    name, final_phase, client, office_a_user, cycle, monitored
):
    data, message = BAD_FILES[name]
    preview = read_reports(data, user=office_a_user, cycle=cycle)
    assert not preview.ok
    assert any(message in error.message for error in preview.errors), [e.message for e in preview.errors]
    client.force_login(office_a_user)
    response = client.post(
        reverse("implementation:report_import"),
        {"cycle": cycle.pk, "file": SimpleUploadedFile("monitoraggio.csv", data or b" ")},
    )
    assert response.status_code == 200
    assert b'name="righe"' not in response.content  # no way to send
    assert ProgressReport.objects.count() == 0


def test_a_wrong_encoding_latin1_file_is_read(final_phase, office_a_user, cycle, monitored):
    data = csv_file("CUP;TOT_PAGAMENTI;IMPEGNI;Nota", f"{CUPS['pagliara']};10;20;Così è").decode().encode("cp1252")
    preview = read_reports(data, user=office_a_user, cycle=cycle)
    assert preview.ok, preview.errors
    assert preview.rows[0].note == "Così è"


def test_a_project_already_reported_in_the_cycle(final_phase, office_a_user, cycle, monitored):
    preview = read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle)
    import_reports(user=office_a_user, cycle=cycle, rows=[row.as_dict() for row in preview.rows])
    again = read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle)
    assert len(again.errors) == 4 and "in attesa di verifica" in again.errors[0].message


def test_the_write_is_all_or_nothing(final_phase, office_a_user, cycle, monitored):
    """A row refused while writing (here: a report sent meanwhile) undoes the rows written before it."""
    rows = [row.as_dict() for row in read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle).rows]
    import_reports(user=office_a_user, cycle=cycle, rows=rows[-1:])
    with pytest.raises(Exception, match="Nessuna rilevazione è stata salvata"):
        import_reports(user=office_a_user, cycle=cycle, rows=rows)
    assert ProgressReport.objects.count() == 1


def test_an_office_cannot_write_another_offices_rows(final_phase, office_b_user, office_a_user, cycle, monitored):
    rows = [row.as_dict() for row in read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle).rows]
    with pytest.raises(Exception, match="solo i progetti e le azioni del vostro ufficio"):
        import_reports(user=office_b_user, cycle=cycle, rows=rows)
    assert ProgressReport.objects.count() == 0


def test_the_team_may_import_for_any_office(final_phase, team_user, cycle, monitored):
    preview = read_reports(OPENCOESIONE, user=team_user, cycle=cycle)
    assert preview.ok and len(preview.rows) == 4


# --- The page ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CAST)
def test_the_page_for_the_whole_cast(name, final_phase, client, cast, cycle):
    user = cast(name)
    if user:
        client.force_login(user)
    response = client.get(reverse("implementation:report_import"))
    assert response.status_code == expected({"team_user": 200, "office_a_user": 200, "office_b_user": 200}, name)


def test_the_page_is_closed_outside_the_final_phase(client, office_a_user, cycle):
    client.force_login(office_a_user)
    assert client.get(reverse("implementation:report_import")).status_code == 403


def test_upload_preview_then_send(final_phase, client, office_a_user, cycle, monitored):
    client.force_login(office_a_user)
    url = reverse("implementation:report_import")
    response = client.post(url, {"cycle": cycle.pk, "file": SimpleUploadedFile("progetti.csv", OPENCOESIONE)})
    html = response.content.decode()
    assert response.status_code == 200 and "Il file è corretto: 4 rilevazioni da inviare" in html
    assert "dai pagamenti" in html and "€ 262.500,00" in html
    assert ProgressReport.objects.count() == 0  # a preview writes nothing
    token = response.context["token"]
    response = client.post(url, {"righe": token})
    assert response.status_code == 302 and f"ciclo={cycle.pk}" in response["Location"]
    assert ProgressReport.objects.filter(review=Review.SUBMITTED).count() == 4
    # Sent twice (the back button): refused with a message, nothing more written.
    response = client.post(url, {"righe": token}, follow=True)
    assert "già una rilevazione in attesa" in response.content.decode()
    assert ProgressReport.objects.count() == 4


def test_a_forged_or_borrowed_token_is_refused(final_phase, client, office_a_user, office_b_user, cycle, monitored):
    url = reverse("implementation:report_import")
    rows = [row.as_dict() for row in read_reports(OPENCOESIONE, user=office_a_user, cycle=cycle).rows]
    borrowed = signing.dumps(
        {"u": office_a_user.pk, "c": cycle.pk, "r": rows}, salt="implementation.monitoring-import", compress=True
    )
    client.force_login(office_b_user)
    for token in ["nonsense", borrowed, borrowed[:-3] + "abc"]:
        response = client.post(url, {"righe": token}, follow=True)
        assert response.status_code == 200
        assert "non è più valida" in response.content.decode()
    forged_cycle = signing.dumps(
        {"u": office_a_user.pk, "c": 99999, "r": rows}, salt="implementation.monitoring-import"
    )
    client.force_login(office_a_user)
    assert "non è più valida" in client.post(url, {"righe": forged_cycle}, follow=True).content.decode()
    assert ProgressReport.objects.count() == 0


def test_a_forged_cycle_in_the_upload_form(final_phase, client, office_a_user, cycle, monitored):
    client.force_login(office_a_user)
    response = client.post(
        reverse("implementation:report_import"),
        {"cycle": "99999", "file": SimpleUploadedFile("progetti.csv", OPENCOESIONE)},
    )
    assert response.status_code == 200 and response.context["preview"] is None
    assert ProgressReport.objects.count() == 0
