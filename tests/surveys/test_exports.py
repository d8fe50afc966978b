"""CSV, XLSX and JSON exports, checked cell by cell."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from surveys.models import Kind
from surveys.services import response_submit
from tests.conftest import CAST
from tests.surveys.conftest import full_answers

pytestmark = pytest.mark.django_db

D1 = "D1. In quale comune vivi?"
D5 = "D5. Quale mezzo usi di più?"
D6 = "D6. Quali temi ti stanno più a cuore?"
D7 = "D7. Metti in ordine le priorità per i prossimi tre anni"
# The text written with «Altro» is an open answer: only the team's XLSX has these columns.
OTHER_TEXT = [f"{D5} [Altro: testo]", f"{D6} [Altro: testo]"]
XLSX_HEADER = (
    [
        "risposta",
        "giorno",  # the day of sending: in the team's XLSX only
        f"{D1} [codice ISTAT]",
        D1,
        "D2. Quanti anni hai?",
        "D3. Ti sposti ogni giorno per studio o lavoro?",
    ]
    + ["D4. Quanti minuti impieghi per lo spostamento?", D5, OTHER_TEXT[0]]
    + [f"{D6} [{x}]" for x in ("Trasporti", "Lavoro", "Ambiente", "Turismo", "Scuola", "Altro")]
    + [OTHER_TEXT[1]]
    + [f"{D7} [{x}] posizione" for x in ("Strade", "Porti", "Scuole", "Dissesto idrogeologico", "Digitale")]
    + ["D8. Quanto spesso prendi la nave?", "D9. Il territorio metropolitano è ben collegato"]
)
HEADER = [h for h in XLSX_HEADER if h not in OTHER_TEXT and h != "giorno"]
OPEN = [
    "D10. Quale linea di trasporto useresti se ci fosse?",
    "D11. In una parola, il tuo territorio",
    "D12. Che cosa dovrebbe cambiare nei prossimi anni?",
]


@pytest.fixture
def two_responses(survey, q):
    """A full response from Messina, and a shorter one from elsewhere that skips the conditional questions."""
    response_submit(questionnaire=survey, answers=full_answers(q))
    yes_no, single, multiple = q(Kind.YES_NO), q(Kind.SINGLE, 0), q(Kind.MULTIPLE)
    response_submit(
        questionnaire=survey,
        answers=full_answers(
            q,
            {
                q(Kind.MUNICIPALITY).pk: "altro",
                yes_no.pk: {"option": q.opt(yes_no, "No")},
                q(Kind.NUMBER).pk: None,
                single.pk: {"option": q.opt(single, "Altro"), "other": '=HYPERLINK("http://x")'},
                multiple.pk: {"options": [q.opt(multiple, "Lavoro")]},
                q(Kind.SHORT_TEXT, 0).pk: None,
                q(Kind.SHORT_TEXT, 1).pk: "+39 mare",
                q(Kind.LONG_TEXT).pk: None,
            },
        ),
    )
    survey.set_results_published(True)


@pytest.fixture
def every_row(settings):
    """The small-group rule set to 1: every response is published as sent, to check it cell by cell
    (the rule itself: ``test_opendata_small_groups.py``)."""
    settings.SURVEYS_MIN_GROUP = 1


def csv_rows(client, survey) -> list[dict]:
    reply = client.get(reverse("surveys:opendata_csv", args=[survey.slug]))
    assert reply.status_code == 200
    assert reply["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(reply.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    assert all(len(row) == len(HEADER) for row in rows)  # no shifted columns
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def by_residence(rows: list[dict]) -> tuple[dict, dict]:
    messina = next(r for r in rows if r[D1] == "Messina")
    other = next(r for r in rows if r[D1] != "Messina")
    return messina, other


def test_csv_cell_by_cell(client, survey, two_responses, every_row):
    messina, other = by_residence(csv_rows(client, survey))
    assert messina[f"{D1} [codice ISTAT]"] == "083048"
    assert messina["D2. Quanti anni hai?"] == "25–34"
    assert messina["D3. Ti sposti ogni giorno per studio o lavoro?"] == "Sì"
    assert messina["D4. Quanti minuti impieghi per lo spostamento?"] == "45"
    assert messina[D5] == "Autobus"
    assert [messina[f"{D6} [{x}]"] for x in ("Trasporti", "Lavoro", "Ambiente", "Turismo", "Scuola", "Altro")] == [
        "1",
        "0",
        "0",
        "0",
        "0",
        "1",
    ]
    assert [
        messina[f"{D7} [{x}] posizione"] for x in ("Strade", "Porti", "Scuole", "Dissesto idrogeologico", "Digitale")
    ] == [
        "2",
        "1",
        "",
        "",
        "3",
    ]
    assert messina["D8. Quanto spesso prendi la nave?"] == ""  # optional, left blank
    assert messina["D9. Il territorio metropolitano è ben collegato"] == "4"
    assert messina["risposta"] in ("1", "2") and "giorno" not in messina


def test_csv_conditional_and_other_cells(client, survey, two_responses, every_row):
    _, other = by_residence(csv_rows(client, survey))
    assert other[D1] == "Altro comune / non residente" and other[f"{D1} [codice ISTAT]"] == ""
    assert other["D3. Ti sposti ogni giorno per studio o lavoro?"] == "No"
    assert other["D4. Quanti minuti impieghi per lo spostamento?"] == ""  # not asked: empty, columns kept
    assert other[D5] == "Altro"
    assert [other[f"{D6} [{x}]"] for x in ("Trasporti", "Lavoro", "Altro")] == ["0", "1", "0"]


def test_csv_leaves_open_answers_out(client, survey, two_responses):
    reply = client.get(reverse("surveys:opendata_csv", args=[survey.slug]))
    text = b"".join(reply.streaming_content).decode()
    assert "Più treni" not in text and "+39 mare" not in text and "Stretto" not in text
    assert not any(header in text for header in OPEN)
    # Nor the text written with «Altro»: an open answer, read by the team only.
    assert "Sanità" not in text and "HYPERLINK" not in text
    assert not any(header in text for header in OTHER_TEXT)


def test_csv_is_not_public_before_results_are(client, survey):
    assert client.get(reverse("surveys:opendata_csv", args=[survey.slug])).status_code == 404


def xlsx_cells(client, survey) -> list[list]:
    reply = client.get(reverse("surveys:export_xlsx", args=[survey.pk]))
    assert reply.status_code == 200
    sheet = load_workbook(io.BytesIO(reply.content)).active
    return [list(row) for row in sheet.iter_rows()]


def xlsx_rows(client, survey) -> list[list]:
    return [[cell.value for cell in row] for row in xlsx_cells(client, survey)]


def test_xlsx_for_the_team_includes_open_answers_cell_by_cell(login, team_user, survey, two_responses):
    rows = xlsx_rows(login(team_user), survey)
    assert rows[0] == XLSX_HEADER + OPEN
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    messina, other = by_residence([{k: ("" if v is None else v) for k, v in r.items()} for r in records])
    assert messina[OPEN[0]] == "Linea Messina–Milazzo"
    assert messina[OPEN[2]] == "Più treni e meno code agli imbarchi."
    assert messina["D4. Quanti minuti impieghi per lo spostamento?"] == 45  # a number, not a text
    assert messina[f"{D6} [Trasporti]"] == 1 and messina[f"{D6} [Lavoro]"] == 0
    assert messina[f"{D7} [Porti] posizione"] == 1
    assert other[OPEN[0]] == "" and other[OPEN[2]] == ""
    # Texts that look like formulas are string cells, stored as typed: no apostrophe added.
    assert other[OPEN[1]] == "+39 mare"
    assert other[f"{D5} [Altro: testo]"] == '=HYPERLINK("http://x")'
    assert messina[f"{D6} [Altro: testo]"] == "Sanità" and other[f"{D6} [Altro: testo]"] == ""
    # The day is a date cell.
    assert isinstance(messina["giorno"], datetime.datetime)
    assert messina["giorno"].date() == timezone.localdate()


def test_xlsx_writes_every_text_as_a_string_cell_never_a_formula(login, team_user, survey, two_responses):
    rows = xlsx_cells(login(team_user), survey)
    header = [cell.value for cell in rows[0]]
    texts = [cell for row in rows for cell in row if isinstance(cell.value, str)]
    assert texts and all(cell.data_type == "s" for cell in texts)
    assert not any(cell.data_type == "f" for row in rows for cell in row)
    formula_like = [cell for cell in texts if cell.value.startswith(("=", "+"))]
    assert {cell.value for cell in formula_like} == {'=HYPERLINK("http://x")', "+39 mare"}
    numbers = [row[header.index("D4. Quanti minuti impieghi per lo spostamento?")] for row in rows[1:]]
    assert sorted((cell.value, cell.data_type) for cell in numbers if cell.value is not None) == [(45, "n")]


@pytest.mark.parametrize("member", CAST)
def test_xlsx_is_for_the_team_only(member, cast, login, survey):
    client = login(cast(member))
    reply = client.get(reverse("surveys:export_xlsx", args=[survey.pk]))
    expected = 200 if member == "team_user" else (302 if member == "anonymous" else 403)
    assert reply.status_code == expected


def test_json_aggregates_without_open_answers(client, survey, q, two_responses, settings):
    settings.SURVEYS_MIN_GROUP = 1  # the filtered group below has one response
    data = client.get(reverse("surveys:opendata_json", args=[survey.slug])).json()
    assert data["responses"] == 2
    questions = {item["text"]: item for item in data["questions"]}
    single = questions["Quale mezzo usi di più?"]
    assert {a["label"]: a["count"] for a in single["answers"]} == {
        "Auto": 0,
        "Autobus": 1,
        "Treno": 0,
        "Nave o aliscafo": 0,
        "Altro": 1,
    }
    assert questions["Il territorio metropolitano è ben collegato"]["average"] == 4.0
    ranking = {a["label"]: a["average_rank"] for a in questions[D7[4:]]["answers"]}
    assert ranking["Porti"] == 1.0 and ranking["Scuole"] is None
    assert questions["Quanti minuti impieghi per lo spostamento?"]["min"] == 45
    assert "Più treni" not in str(data)
    assert len(data["participation"]) == 108
    filtered = client.get(reverse("surveys:opendata_json", args=[survey.slug]), {"comune": "altro"}).json()
    assert filtered["responses"] == 1


def test_xlsx_drops_control_characters_a_spreadsheet_cannot_hold(login, team_user, survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q, {q(Kind.SHORT_TEXT, 1).pk: "Mare\x01\x08"}))
    rows = xlsx_rows(login(team_user), survey)
    assert rows[1][rows[0].index(OPEN[1])] == "Mare"
