"""CSV downloads are safe to open in a spreadsheet: every text is quoted, numbers stay numbers, and no formula
can start anywhere a spreadsheet may start a cell (Italian Excel splits a comma-separated file on ``;``)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from psm_portal.lib.csvexport import csv_response, csv_writer, safe_cell

# Each first character a spreadsheet reads as the start of a formula (tab, CR and LF too: some spreadsheets
# drop them and read what follows).
DANGEROUS = {
    "equals": "=",
    "plus": "+",
    "minus": "-",
    "at": "@",
    "tab": "\t",
    "carriage return": "\r",
    "line feed": "\n",
}
PREFIXES = tuple(DANGEROUS.values())
# Texts an office, a mayor or the team may type, each hiding a formula behind a separator or a line break.
NASTY = [
    ";=1+1",
    "Strada provinciale;=1+1",
    'Strada,=HYPERLINK("http://x.example","clic")',
    "Porto\t+cmd|' /C calc'!A0",
    "Riga uno\n@SUM(A1)",
    "Riga uno\r-2+3",
    "x\r\n=1",
    'Titolo;"=1+1"',
    'a;""=1',
    "a;;=1",
    "a\n\n=1",
    "=1;=2,=3\t=4",
]


def content(response) -> str:
    return response.content.decode("utf-8")


def cells_as_a_spreadsheet_may_split_them(text: str) -> list[str]:
    """Every cell a spreadsheet could see: each physical line (CR or LF) split on every separator, quotes not
    honoured (the worst case), leading quotes dropped."""
    cells = []
    for line in re.split(r"[\r\n]", text):
        cells += [cell.lstrip('"') for cell in re.split(r"[,;\t]", line)]
    return cells


def is_number(cell: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?(E[+-]?\d+)?", cell.rstrip('"')) is not None


@pytest.mark.parametrize("first", PREFIXES, ids=list(DANGEROUS))
def test_a_text_starting_like_a_formula_gets_an_apostrophe(first):
    text = f'{first}HYPERLINK("http://x.example","clic")'
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("first", PREFIXES, ids=list(DANGEROUS))
def test_the_download_quotes_it_too(first):
    response = csv_response("prova.csv", ["a", "b"], [[f"{first}1+1", "ok"]])
    assert content(response).startswith(f'"a","b"\n"\'{first}1+1","ok"\n')


@pytest.mark.parametrize("text", NASTY)
def test_no_formula_starts_after_a_separator_or_a_line_break_inside_a_cell(text):
    response = csv_response("prova.csv", ["titolo", "costo"], [[text, Decimal("-1.50")], [1, text]])
    for cell in cells_as_a_spreadsheet_may_split_them(content(response)):
        assert is_number(cell) or not cell.startswith(PREFIXES), (text, cell)


@pytest.mark.parametrize("text", NASTY)
def test_italian_excel_splitting_on_semicolons_sees_no_formula(text):
    """Italian Excel reads a CSV with ``;`` as the separator and honours the quotes."""
    response = csv_response("prova.csv", ["titolo"], [[text]])
    for row in csv.reader(io.StringIO(content(response), newline=""), delimiter=";"):
        for cell in row:
            assert not cell.startswith(PREFIXES), (text, row)


@pytest.mark.parametrize("text", NASTY)
def test_the_text_reads_back_with_only_apostrophes_added(text):
    [_header, [cell]] = list(csv.reader(io.StringIO(content(csv_response("prova.csv", ["t"], [[text]])), newline="")))
    assert cell.replace("'", "") == text.replace("'", "")


def test_a_carriage_return_inside_a_cell_does_not_start_a_row():
    response = csv_response("prova.csv", ["a", "b"], [["x\r=1+1", "ok"]])
    rows = list(csv.reader(io.StringIO(content(response).replace("\r", "\n"), newline="")))
    assert len(rows) == 2
    assert rows[1] == ["x\n'=1+1", "ok"]


def test_every_text_is_quoted_and_numbers_are_bare():
    """Numbers are written bare, as before: every spreadsheet reads them as numbers, and a bare number (digits,
    sign, point, exponent) cannot start a formula. Everything else is quoted."""
    row = [7, -5, Decimal("-1.50"), 2.5, True, "083048", "2025-01-31", "", None, "Testo"]
    response = csv_response("prova.csv", ["a"] * len(row), [row])
    line = content(response).splitlines()[1]
    assert line == '7,-5,-1.50,2.5,1,"083048","2025-01-31","","","Testo"'
    [parsed] = list(csv.reader(io.StringIO(line), quoting=csv.QUOTE_NONNUMERIC))
    assert parsed == [7.0, -5.0, -1.5, 2.5, 1.0, "083048", "2025-01-31", "", "", "Testo"]


def test_numbers_that_are_not_finite_are_texts():
    response = csv_response("prova.csv", ["a", "b", "c"], [[float("inf"), Decimal("-Infinity"), Decimal("NaN")]])
    assert content(response).splitlines()[1] == '"inf","\'-Infinity","NaN"'


@pytest.mark.parametrize(
    "value,expected",
    [
        ("Strada provinciale", "Strada provinciale"),
        ("1+1", "1+1"),
        ("Messina, - lotto 2", "Messina, - lotto 2"),
        ("2025-01-31", "2025-01-31"),
        ("", ""),
        (None, ""),
        (True, 1),
        (-5, -5),
        (Decimal("-1.50"), Decimal("-1.50")),
    ],
)
def test_other_values_are_left_as_they_are(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("text", NASTY)
def test_applying_the_rule_twice_changes_nothing(text):
    assert safe_cell(safe_cell(text)) == safe_cell(text)


def test_the_writer_for_streamed_downloads_follows_the_same_rules():
    class Echo:
        def write(self, value):
            return value

    writer = csv_writer(Echo())
    assert writer.writerow(["Strada;=1+1", 3, None]) == '"Strada;\'=1+1",3,""\n'


# --- Every CSV the portal publishes --------------------------------------------------------------------


def assert_safe(text: str, nasty: str) -> None:
    assert nasty[:4] in text
    for cell in cells_as_a_spreadsheet_may_split_them(text):
        assert is_number(cell) or not cell.startswith(PREFIXES), cell


@pytest.mark.django_db
def test_the_projects_open_data(client, office_a):
    from projects.factories import ProjectFactory

    ProjectFactory(office=office_a, title="Strada provinciale;=1+1", local_code="LOC;@SUM(A1)")
    assert_safe(content(client.get(reverse("projects:opendata_csv"))), "Strada provinciale;=1+1")


@pytest.mark.django_db
def test_the_objectives_and_positions_open_data(client, office_a):
    from phases.factories import ObjectiveFactory, PositionFactory, VisionVersionFactory
    from phases.models import VisionStatus

    ObjectiveFactory(code="A", order=1, title="Connessioni;=1+1")
    closed = VisionVersionFactory(number=1, status=VisionStatus.CLOSED)
    PositionFactory(version=closed, office=office_a, objective=None, comment="Bene\n-2+3;@SUM(A1)")
    assert_safe(content(client.get(reverse("phases:opendata_objectives"))), "Connessioni;=1+1")
    assert_safe(content(client.get(reverse("phases:opendata_positions"))), "Bene\n-2+3;@SUM(A1)")


@pytest.mark.django_db
def test_the_municipalities_open_data(client):
    text = content(client.get(reverse("municipalities:opendata_csv")))
    assert text.startswith('"istat_code","name","population","area_km2"\n')
    assert '"083048","Messina",' in text
    assert_safe(text, "Messina")


def test_the_import_template_has_no_formula():
    from openpyxl import load_workbook

    from projects.template import template_workbook

    workbook = load_workbook(io.BytesIO(template_workbook()))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells and not any(cell.data_type == "f" for cell in cells)
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
