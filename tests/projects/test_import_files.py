"""The importer over a corpus of bad files (each refused with the right Italian message, nothing written)
and over the formats offices really have: our template, OpenCoesione, PNRR, Latin-1, BOM, `;` or `,`."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from projects.importer import read_import
from projects.models import FundingLine, ImportState, Project, ProjectChange, ProjectImport, Status
from projects.template import template_workbook
from tests.projects.conftest import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

CUP_FILE = Path(__file__).resolve().parents[2] / "projects" / "data" / "pnrr_cup_messina.csv"


def nothing_written() -> bool:
    return not (Project.objects.exists() or FundingLine.objects.exists() or ProjectChange.objects.exists())


def messages(preview) -> list[str]:
    return [f"{e.row}|{e.column}|{e.message}" for e in preview.errors]


# --- The corpus of bad files -----------------------------------------------------------------------

UTF16 = csv_bytes([good_row(1)], sep="\t").decode().encode("utf-16")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def truncated_xlsx() -> bytes:
    """A real workbook whose sheet XML is cut in half: it opens, and breaks only when its rows are read."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([good_row(n) for n in range(1, 50)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, content[: len(content) // 2] if name == "xl/worksheets/sheet1.xml" else content)
    return buffer.getvalue()


BAD_FILES = {
    "wrong encoding (UTF-16)": (UTF16, [(0, "UTF-16")]),
    "missing title column": (
        csv_bytes([["B33C22000020006", "083065"]], header=["CUP", "COD_COMUNE"]),
        [(1, "Manca la colonna del titolo")],
    ),
    "missing id and municipality columns": (
        csv_bytes([["Strada"]], header=["Titolo"]),
        [(1, "Manca una colonna per riconoscere i progetti"), (1, "Manca la colonna dei comuni")],
    ),
    "a CUP twice": (
        csv_bytes([good_row(1), good_row(2, cup="B33C22000000001")]),
        [(3, "CUP B33C22000000001 ripetuto: c'è già alla riga 2")],
    ),
    "an invalid CUP": (csv_bytes([good_row(1, cup="B33C2200002000")]), [(2, "CUP «B33C2200002000» non valido")]),
    "an unknown municipality code": (csv_bytes([good_row(1, istat="083999")]), [(2, "comune sconosciuto")]),
    "an unknown municipality name": (
        csv_bytes([["B33C22000020006", "Strada", "Milano"]], header=["CUP", "Titolo", "Comune"]),
        [(2, "comune sconosciuto: «Milano»")],
    ),
    "a misspelt municipality name, with the closest one suggested": (
        csv_bytes(
            [["B33C22000020006", "Strada", "Milazzzo; ALI TERME; Santa Lucia del Mela"]],
            header=["CUP", "Titolo", "Comune"],
        ),
        [(2, "comune sconosciuto: «Milazzzo» (forse «Milazzo»?)")],
    ),
    "an unaccented misspelling suggests the accented name": (
        csv_bytes([["B33C22000020006", "Strada", "Ali Termme"]], header=["CUP", "Titolo", "Comune"]),
        [(2, "comune sconosciuto: «Ali Termme» (forse «Alì Terme»?)")],
    ),
    "a negative amount": (csv_bytes([good_row(1, pnrr="-1.000,00")]), [(2, "l'importo è negativo (-1.000,00)")]),
    "an amount that is not a number": (csv_bytes([good_row(1, cost="molti euro")]), [(2, "non è un importo")]),
    "an impossible date": (
        csv_bytes(
            [["B33C22000020006", "Strada", "083048", "31/02/2024"]],
            header=["CUP", "Titolo", "COD_COMUNE", "Inizio previsto"],
        ),
        [(2, "la data 31/02/2024 non esiste")],
    ),
    "an end before the start": (
        csv_bytes(
            [["B33C22000020006", "Strada", "083048", "01/06/2025", "01/01/2025"]],
            header=["CUP", "Titolo", "COD_COMUNE", "Inizio previsto", "Fine prevista"],
        ),
        [(2, "la fine prevista (01/01/2025) è precedente all'inizio previsto (01/06/2025)")],
    ),
    "a formula in a cell": (csv_bytes([good_row(1, title='=HYPERLINK("http://x.example","clic")')]), [(2, "formula")]),
    "a formula in an xlsx cell": (xlsx_bytes([good_row(1, cost="=SUM(1,2)")]), [(2, "formula")]),
    "a missing title": (csv_bytes([good_row(1, title="")]), [(2, "manca il titolo del progetto")]),
    "a missing CUP for a funded project": (csv_bytes([good_row(1, cup="")]), [(2, "manca il CUP")]),
    "an unknown status": (csv_bytes([good_row(1, status="boh")]), [(2, "stato «boh» sconosciuto")]),
    "an unknown objective": (
        csv_bytes(
            [["B33C22000020006", "Strada", "083048", "A9.9"]],
            header=["CUP", "Titolo", "COD_COMUNE", "codici obiettivo"],
        ),
        [(2, "obiettivo sconosciuto: «A9.9»")],
    ),
    "an empty file": (b"   \r\n", [(0, "Il file è vuoto")]),
    "a header only": (csv_bytes([]), [(0, "solo l'intestazione")]),
    "a PNG image": (PNG, [(0, "non è un foglio di calcolo")]),
    "a PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", [(0, "non è un foglio di calcolo")]),
    "a Word document": (docx_bytes(), [(0, "non è un foglio di calcolo")]),
    "a damaged Excel file": (truncated_xlsx(), [(0, "Il file Excel è danneggiato")]),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, [(0, "vecchio formato Excel .xls")]),
    "random binary": (bytes(range(1, 256)) * 10 + b"\x00", [(0, "non è un foglio di calcolo")]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_gives_the_right_message_and_writes_nothing(case, office_a):
    data, expected = BAD_FILES[case]
    preview = read_import(data, office=office_a)
    assert not preview.ok
    found = messages(preview)
    for row, text in expected:
        assert any(m.startswith(f"{row}|") and text in m for m in found), (case, found)
    assert nothing_written()


@pytest.mark.parametrize(
    "case", ["a CUP twice", "a PNG image", "wrong encoding (UTF-16)", "a formula in a cell", "a damaged Excel file"]
)
def test_bad_file_through_the_office_pages(case, login, office_a_user, upload, confirm):
    client = login(office_a_user)
    data, expected = BAD_FILES[case]
    response = upload(client, data)
    batch = ProjectImport.objects.get()
    assert response.url == batch.get_absolute_url()
    assert batch.state == ImportState.INVALID
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "nulla è stato salvato" in page
    confirm(client, batch)  # a forged confirmation changes nothing
    batch.refresh_from_db()
    assert batch.state == ImportState.INVALID
    assert nothing_written()


def test_an_unexpected_failure_of_the_check_leaves_an_invalid_batch(login, office_a_user, upload, monkeypatch):
    from projects.services import imports

    def explode(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(imports, "read_import", explode)
    response = upload(login(office_a_user), csv_bytes([good_row(1)]))
    batch = ProjectImport.objects.get()
    assert response.url == batch.get_absolute_url()
    assert batch.state == ImportState.INVALID
    assert "errore imprevisto" in batch.errors[0]["message"]


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes])
def test_too_many_rows_are_refused_without_reading_them_all(make, office_a, monkeypatch):
    from projects.importer import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 20)
    read = []
    real_blank = reading.blank
    monkeypatch.setattr(reading, "blank", lambda cell: read.append(cell) or real_blank(cell))
    preview = read_import(make([good_row(n) for n in range(1, 26)]), office=office_a)
    assert messages(preview) == [
        "0||Il file ha più di 20 righe: se ne possono importare al massimo 20 per volta; dividilo in più file."
    ]
    # The first cell of each row read is its CUP: reading stopped at the 21st project.
    assert "B33C22000000021" in read and "B33C22000000022" not in read
    assert read_import(make([good_row(n) for n in range(1, 21)]), office=office_a).ok  # 20 rows are fine


def test_build_preview_refuses_too_many_rows_with_the_same_message(office_a, monkeypatch):
    from projects.importer import ImportFileError, reading
    from projects.importer.preview import build_preview

    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError) as refused:
        build_preview(["CUP"], [(n, [f"B33C2200000000{n}"]) for n in range(2, 5)], office=office_a)
    assert str(refused.value) == (
        "Il file ha più di 2 righe: se ne possono importare al massimo 2 per volta; dividilo in più file."
    )


def test_file_messages_follow_the_active_language(office_a):
    with translation.override("en"):
        preview = read_import(PNG, office=office_a)
    assert preview.errors[0].message.startswith("The file is not a spreadsheet")


def test_a_20_mb_file_is_refused_with_a_clear_message(login, office_a_user, upload):
    response = upload(login(office_a_user), b"CUP;Titolo\n" + b"x" * (20 * 1024 * 1024))
    assert response.status_code == 200
    assert "Il file pesa 20,0 MB: il limite è 10 MB" in response.content.decode()
    assert not ProjectImport.objects.exists()
    assert nothing_written()


def test_an_empty_upload_is_refused(login, office_a_user, upload):
    response = upload(login(office_a_user), b"")
    assert "Il file inviato è vuoto" in response.content.decode() or "Il file è vuoto" in response.content.decode()
    assert not ProjectImport.objects.exists()


def test_every_error_has_row_column_and_message(office_a):
    data = csv_bytes([good_row(1, cup="XX"), good_row(2, istat="000000", cost="-5")])
    errors = read_import(data, office=office_a).errors
    assert [(e.row, e.column) for e in errors] == [(2, "CUP"), (3, "Codici ISTAT dei comuni"), (3, "Costo totale")]


# --- Real files ------------------------------------------------------------------------------------


def real_cup_rows() -> list[dict]:
    with CUP_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_real_pnrr_cup_is_accepted_by_code_and_by_name(office_a):
    rows = real_cup_rows()
    assert len(rows) == 74
    by_code = csv_bytes(
        [[r["cup"], f"Progetto {i}", r["istat_code"]] for i, r in enumerate(rows)],
        header=["CUP", "Titolo", "COD_COMUNE"],
    )
    by_name = csv_bytes(
        [[r["cup"], f"Progetto {i}", r["municipality"]] for i, r in enumerate(rows)],
        header=["CUP", "Titolo Progetto", "DEN_COMUNE"],
    )
    for data in (by_code, by_name):
        preview = read_import(data, office=office_a)
        assert preview.errors == []
        assert preview.to_create == 74
        assert {tuple(r.municipality_codes) for r in preview.rows} == {(r["istat_code"],) for r in rows}


def test_our_template_with_its_instructions_sheet(office_a):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames == ["Progetti", "Istruzioni"]
    preview = read_import(template_workbook(), office=office_a)  # the example row imports as it is
    assert preview.errors == []
    row = preview.rows[0]
    assert row.fields["cup"] == "B33C22000020006"
    assert row.fields["total_cost"] == Decimal("1250000.00")
    assert row.funding == {"pnrr": Decimal("1000000.00"), "metro_city": Decimal("250000.00")}
    assert row.municipality_codes == ["083065"]
    assert row.fields["planned_end"].isoformat() == "2026-12-31"


def test_xlsx_with_instructions_first_finds_the_projects_sheet(office_a):
    preview = read_import(xlsx_bytes([good_row(1)], instructions=True), office=office_a)
    assert preview.errors == [] and preview.to_create == 1


def test_opencoesione_export(office_a):
    header = [
        "COD_LOCALE_PROGETTO",
        "CUP",
        "OC_TITOLO_PROGETTO",
        "OC_STATO_PROGETTO",
        "FINANZ_UE",
        "FINANZ_STATO_FSC",
        "FINANZ_STATO_FONDO_DI_ROTAZIONE",
        "FINANZ_COMUNE",
        "FINANZ_TOTALE_PUBBLICO",
        "COD_COMUNE",
        "DEN_COMUNE",
        "OC_DATA_INIZIO_PROGETTO",
        "OC_DATA_FINE_PROGETTO_PREVISTA",
        "OC_TEMA_SINTETICO",
    ]
    row = [
        "1MISE123",
        "B38H22000040006",
        "Riqualificazione del lungomare",
        "Concluso",
        "500000,5",
        "100000",
        "50.000,00",
        "",
        "650.000,50",
        "019083048:::019083056",
        "MESSINA:::MONTAGNAREALE",
        "20190315",
        "20211231",
        "Trasporti",
    ]
    preview = read_import(csv_bytes([row], header=header), office=office_a)
    assert preview.errors == []
    parsed = preview.rows[0]
    assert parsed.fields["status"] == Status.COMPLETED
    assert parsed.fields["local_code"] == "1MISE123"
    assert parsed.fields["total_cost"] == Decimal("650000.50")
    assert parsed.funding == {
        "eu_cohesion": Decimal("500000.50"),
        "fsc": Decimal("100000.00"),
        "state": Decimal("50000.00"),
    }
    assert parsed.municipality_codes == ["083048", "083056"]
    assert parsed.fields["actual_start"].isoformat() == "2019-03-15"
    assert "«OC_TEMA_SINTETICO»" in preview.notes[0]


def test_pnrr_export_comma_separated_with_bom(office_a):
    text = (
        '"CUP","Titolo Progetto","Sintesi Progetto","Finanziamento PNRR","Finanziamento Totale","Descrizione Comune",'
        '"Data di Inizio Progetto Prevista"\r\n'
        '"B33C22000020006","Scuola ""Verga"", adeguamento","Lavori, anche estivi","1.234.567,89","1.500.000","ALI\' TERME",'
        '"01/09/2023"\r\n'
    )
    preview = read_import(b"\xef\xbb\xbf" + text.encode("utf-8"), office=office_a)
    assert preview.errors == []
    parsed = preview.rows[0]
    assert parsed.fields["title"] == 'Scuola "Verga", adeguamento'
    assert parsed.funding == {"pnrr": Decimal("1234567.89")}
    assert parsed.fields["total_cost"] == Decimal("1500000.00")
    assert parsed.municipality_codes == ["083003"]  # Alì Terme


def test_latin1_semicolon_file_with_accents(office_a):
    data = csv_bytes(
        [["B41B22000930006", "Città più verde", "SANT'AGATA DI MILITELLO", "€ 12.000,00"]],
        header=["CUP", "Titolo", "Comune", "Costo totale"],
        encoding="cp1252",  # Latin-1 as Windows writes it, with the euro sign
    )
    preview = read_import(data, office=office_a)
    assert preview.errors == []
    assert preview.rows[0].fields["title"] == "Città più verde"
    assert preview.rows[0].fields["total_cost"] == Decimal("12000.00")
    assert preview.rows[0].municipality_codes == ["083084"]
    pure_latin1 = csv_bytes([["B41B22000930006", "Alì", "Alì"]], header=["CUP", "Titolo", "Comune"], encoding="latin-1")
    assert read_import(pure_latin1, office=office_a).rows[0].fields["title"] == "Alì"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1.234.567,89", "1234567.89"),
        ("1234,5", "1234.50"),
        ("1.500", "1500.00"),
        ("12.5", "12.50"),
        ("€ 3 000,00", "3000.00"),
    ],
)
def test_italian_numbers(text, expected):
    from projects.importer import parse_amount

    assert parse_amount(text) == Decimal(expected)


def test_whole_area_and_ideas_without_cup(office_a):
    data = csv_bytes(
        [["IDEA-1", "Piste ciclabili", "idea", "intera area metropolitana"]],
        header=["Codice locale", "Titolo", "Stato", "Comuni"],
    )
    preview = read_import(data, office=office_a)
    assert preview.errors == []
    assert preview.rows[0].fields["whole_area"] is True and preview.rows[0].fields.get("cup", "") == ""
