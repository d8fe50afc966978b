"""Spreadsheets built to exhaust the server: each is refused with an Italian message in under a second and a
few MB, whatever its declared dimension or its packed size says; files of the same shape but honest are read."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from projects.importer import read_import, reading
from projects.models import Project, ProjectImport
from tests import bombs
from tests.projects.conftest import HEADER, csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def checked(data: bytes, office) -> tuple[list[str], int]:
    """The preview's messages and the check's peak of Python memory (bytes). Memory, not seconds: a bound on
    work that holds on a loaded machine (bench/uploads.py prints the times)."""
    with translation.override("it"):
        tracemalloc.start()
        try:
            preview = read_import(data, office=office)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return [e.message for e in preview.errors], peak


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with ``change(xml) -> xml`` applied to its first sheet."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            archive.writestr(name, content)
    return buffer.getvalue()


# --- Dimension bombs -------------------------------------------------------------------------------


@pytest.mark.parametrize("last", ["XFD5000", "XFD1048576", "IW2"])
def test_a_cell_far_to_the_right_is_refused_before_the_rows_are_padded(last, office_a):
    data = bombs.sheet_bomb(last)
    assert len(data) < 6000
    found, peak = checked(data, office_a)
    assert found == [
        "Il file ha dati oltre la colonna IV: se ne leggono al massimo 256. Togli le colonne in più e caricalo di nuovo."
    ]
    assert peak < 4 * 1024 * 1024


def test_a_row_far_below_costs_nothing_for_the_rows_between(office_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for column, value in enumerate(good_row(1), start=1):
        sheet.cell(row=1_048_576, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    tracemalloc.start()
    try:
        header, rows = reading.read_table(buffer.getvalue())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert header == HEADER
    assert [number for number, _cells in rows] == [1_048_576]  # the row keeps its real number
    assert peak < 4 * 1024 * 1024


def test_a_declared_dimension_of_the_whole_sheet_with_honest_content_is_read(office_a):
    data = rewrite_sheet(
        xlsx_bytes([good_row(1), good_row(2)]),
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    header, rows = reading.read_table(data)
    assert header == HEADER and len(rows) == 2


def test_empty_cells_beyond_the_last_column_read_are_ignored(office_a):
    """Formatting applied to a whole row writes empty cells up to XFD: nothing to read there."""

    def styled_empty_cells(xml: str) -> str:
        return xml.replace("</row>", '<c r="XFD{n}" s="0"/></row>'.replace("{n}", "1"), 1)

    data = rewrite_sheet(xlsx_bytes([good_row(1)]), styled_empty_cells)
    header, rows = reading.read_table(data)
    assert header == HEADER and len(rows) == 1


def test_too_many_rows_even_empty_are_refused_while_streaming(office_a):
    """150,000 empty row elements (a few MB of XML): refused once past the bound, not padded or kept."""

    def empty_rows(xml: str) -> str:
        filler = "".join(f'<row r="{n}" ht="20" customHeight="1"/>' for n in range(3, 150_003))
        return xml.replace("</sheetData>", filler + "</sheetData>")

    data = rewrite_sheet(xlsx_bytes([good_row(1)]), empty_rows)
    found, peak = checked(data, office_a)
    assert found == [
        "Il file ha più di 100.000 righe, contando anche quelle vuote: togli le righe vuote o dividilo in più file."
    ]
    assert peak < 64 * 1024 * 1024  # 46 MB measured: the parser's buffers for ~7 MB of XML; no row is kept


# --- Zip bombs shaped as workbooks ---------------------------------------------------------------------


def test_a_workbook_whose_sheet_unpacks_to_a_gibibyte_is_refused_before_openpyxl_opens_it(office_a):
    data = bombs.xlsx_zip_bomb(1024)
    found, peak = checked(data, office_a)
    assert len(found) == 1 and "decompresso, supererebbe 200 MB" in found[0]
    assert peak < 4 * 1024 * 1024


def test_a_workbook_with_a_compressed_part_too_dense_is_refused(office_a):
    found, _peak = checked(bombs.xlsx_zip_bomb(50), office_a)
    assert len(found) == 1 and "compressa in modo anomalo" in found[0]


# --- CSV -----------------------------------------------------------------------------------------------


def test_a_csv_of_millions_of_empty_lines_is_refused_in_bounded_memory(office_a):
    data = csv_bytes([good_row(1)]) + b"\r\n" * 3_000_000
    found, peak = checked(data, office_a)
    assert found == [
        "Il file ha più di 100.000 righe, contando anche quelle vuote: togli le righe vuote o dividilo in più file."
    ]
    assert peak < 40 * 1024 * 1024  # the decoded text itself is 6 MB


def test_a_csv_row_with_thousands_of_empty_cells_is_read(office_a):
    data = csv_bytes([good_row(1) + [""] * 5000])
    header, rows = reading.read_table(data)
    assert header == HEADER and len(rows[0][1]) == reading.MAX_COLUMNS


def test_a_csv_with_content_past_the_last_column_read_is_refused(office_a):
    data = csv_bytes([good_row(1) + [""] * 300 + ["x"]])
    found, _peak = checked(data, office_a)
    assert found == [
        "Il file ha dati oltre la colonna IV: se ne leggono al massimo 256. Togli le colonne in più e caricalo di nuovo."
    ]


def test_a_file_over_the_byte_limit_is_refused_by_the_reader_too(office_a, settings):
    """The form refuses it first; a file stored some other way (an older upload, a script) is bounded here."""
    settings.PROJECTS_IMPORT_MAX_BYTES = 1024 * 1024
    found, _peak = checked(csv_bytes([good_row(n) for n in range(1, 20_000)]), office_a)
    assert len(found) == 1
    assert re.fullmatch(
        r"Il file pesa 1,\d MB: il limite è 1 MB\. Dividilo in più file e caricali uno alla volta\.", found[0]
    )


# --- Through the office's pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build,message",
    [
        (lambda: bombs.xlsx_zip_bomb(1024), "decompresso, supererebbe 200 MB"),
        (lambda: bombs.many_entries_zip(5000), "troppi elementi interni"),
    ],
    ids=["zip-bomb", "many-entries"],
)
def test_the_upload_form_refuses_a_zip_bomb_before_storing_it(build, message, login, office_a_user, upload):
    client = login(office_a_user)
    response = upload(client, build())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectImport.objects.exists() and not Project.objects.exists()


def test_the_sheet_bomb_through_the_pages_ends_invalid_with_the_message(login, office_a_user, upload):
    client = login(office_a_user)
    response = upload(client, bombs.sheet_bomb("XFD1048576"))
    batch = ProjectImport.objects.get()
    assert response.url == batch.get_absolute_url()
    assert batch.state == "invalid"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "oltre la colonna IV" in page
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "name,suffix",
    [
        ("../../settings.py", ""),
        ("$$$", ""),
        ("pagina.html", ""),
        ("Progetti 2026.XLSX", ".xlsx"),
        ("p" * 300 + ".csv", ".csv"),
    ],
)
def test_an_uploaded_spreadsheet_is_stored_under_a_name_of_ours(name, suffix, login, office_a_user):
    client = login(office_a_user)
    client.post(reverse("projects:import"), {"file": SimpleUploadedFile(name, csv_bytes([good_row(1)]))})
    batch = ProjectImport.objects.get()
    assert re.fullmatch(r"projects/imports/\d{4}/\d{2}/[0-9a-f]{32}" + re.escape(suffix), batch.file.name)
    assert "/" not in batch.original_name and len(batch.original_name) <= 255


def test_the_admin_does_not_take_an_import_file_past_the_checks(login, team_user, office_a):
    batch = ProjectImport.objects.create(office=office_a, original_name="progetti.csv", state="invalid")
    team = login(team_user)
    assert team.get(reverse("admin:projects_projectimport_add")).status_code == 403
    page = team.get(reverse("admin:projects_projectimport_change", args=[batch.pk]))
    assert page.status_code == 200 and 'type="file"' not in page.content.decode()
    team.post(reverse("admin:projects_projectimport_change", args=[batch.pk]), {"state": "preview"})
    batch.refresh_from_db()
    assert batch.state == "invalid"
