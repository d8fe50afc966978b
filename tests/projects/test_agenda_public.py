"""The public agenda: which version is public, the filters (office, objective, comune, quarter), pagination,
English, bad input, query counts at two data sizes, and the open data."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.factories import AgendaActionFactory, AgendaFactory, ProjectFactory
from projects.models import AgendaStatus
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


def submitted(year=2027, version=1, **extra):
    return AgendaFactory(
        year=year, version=version, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now(), **extra
    )


def approved(year=2027, version=1, act="Delibera n. 12/2027"):
    return AgendaFactory(
        year=year, version=version, status=AgendaStatus.APPROVED, approved_at=timezone.now(), approved_by_act=act
    )


@pytest.fixture
def public(office_a, office_b, messina, lipari, published_a, published_b, tree):
    """The submitted 2027 agenda: A in Messina (A1.1, Q1–Q2), B in Lipari (B1.1, Q3–Q4)."""
    agenda = submitted()
    AgendaActionFactory(
        agenda=agenda,
        position=1,
        title="Progettazione del ponte",
        responsible_office=office_a,
        objective=tree["A1.1"],
        projects=[published_a],
        start_quarter=1,
        due_quarter=2,
        budget=Decimal("1234.56"),
    )
    AgendaActionFactory(
        agenda=agenda,
        position=2,
        title="Pulizia degli argini",
        responsible_office=office_b,
        objective=tree["B1.1"],
        projects=[published_b],
        start_quarter=3,
        due_quarter=4,
        budget=Decimal("1000000"),
    )
    return agenda


@pytest.mark.parametrize("name", CAST)
def test_everybody_reads_the_public_agenda(name, cast, login, public):
    response = login(cast(name)).get(reverse("projects:agenda_year", args=[2027]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Agenda annuale 2027" in html and "Progettazione del ponte" in html
    assert "€ 1.001.234,56" in html  # the year's budget, written the Italian way
    assert "All'esame del Consiglio" in html


@pytest.mark.parametrize("name", CAST)
def test_the_agenda_address_goes_to_the_latest_public_year(name, cast, login, public, settings):
    submitted(year=2028)
    AgendaFactory(year=2029)  # a draft is not public
    response = login(cast(name)).get(reverse("projects:agenda_latest"))
    assert response.status_code == 302 and response["Location"] == reverse("projects:agenda_year", args=[2028])


def test_with_no_public_agenda_the_page_says_so(client, agenda_draft):
    response = client.get(reverse("projects:agenda_latest"))
    assert response.status_code == 200
    assert "Nessuna agenda è stata ancora sottoposta" in response.content.decode()
    assert client.get(reverse("projects:agenda_year", args=[2027])).status_code == 404


def test_a_draft_is_never_public_and_the_approved_version_comes_first(client, public):
    public.status = AgendaStatus.APPROVED
    public.approved_at = timezone.now()
    public.approved_by_act = "Delibera n. 12/2027"
    public.save()
    later = submitted(version=2)
    AgendaActionFactory(agenda=later, title="Azione della versione 2")
    AgendaFactory(year=2027, version=3)
    html = client.get(reverse("projects:agenda_year", args=[2027])).content.decode()
    assert "Delibera n. 12/2027" in html and "Azione della versione 2" not in html
    for year in (0, 1999, 2101, 99999999999999999999):
        assert client.get(f"/agenda/{year}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, {"Progettazione del ponte", "Pulizia degli argini"}),
        ({"ufficio": "viabilita"}, {"Progettazione del ponte"}),
        ({"obiettivo": "B1.1"}, {"Pulizia degli argini"}),
        ({"obiettivo": "A"}, {"Progettazione del ponte"}),  # an axis: every action below it
        ({"comune": "083041"}, {"Pulizia degli argini"}),
        ({"trimestre": "2"}, {"Progettazione del ponte"}),
        ({"trimestre": "3", "comune": "083048"}, set()),
        # Bad values are ignored, the others still apply.
        ({"trimestre": "9", "ufficio": "ambiente"}, {"Pulizia degli argini"}),
        (
            {"comune": "\x00", "obiettivo": "Z9", "ufficio": "x" * 5000},
            {"Progettazione del ponte", "Pulizia degli argini"},
        ),
    ],
)
def test_the_filters(client, public, query, found):
    response = client.get(reverse("projects:agenda_year", args=[2027]), query)
    assert response.status_code == 200
    titles = {action.title for action in response.context["page"]}
    assert titles == found


def test_the_page_is_in_english_under_en(client, public):
    response = client.get("/en/agenda/2027/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Annual agenda 2027" in html and "Filter the actions" in html


def test_pages_of_twenty(client, public, office_a, published_a):
    AgendaActionFactory.create_batch(30, agenda=public, responsible_office=office_a, projects=[published_a])
    first = client.get(reverse("projects:agenda_year", args=[2027]))
    assert len(first.context["page"]) == 20
    last = client.get(reverse("projects:agenda_year", args=[2027]), {"pagina": "2"})
    assert len(last.context["page"]) == 12
    assert client.get(reverse("projects:agenda_year", args=[2027]), {"pagina": "abc\x00"}).status_code == 200


def _grow(agenda, office, municipalities, actions: int, projects: int) -> None:
    made = [ProjectFactory(office=office, municipalities=municipalities) for _ in range(projects)]
    for n in range(actions):
        AgendaActionFactory(agenda=agenda, responsible_office=office, projects=made[n % len(made) : n % len(made) + 3])


@pytest.mark.parametrize(
    "query", [{}, {"comune": "083048", "trimestre": "1", "obiettivo": "A", "ufficio": "viabilita"}]
)
def test_the_query_count_does_not_grow_with_the_data(client, public, office_a, messina, lipari, query):
    url = reverse("projects:agenda_year", args=[2027])
    _grow(public, office_a, [messina, lipari], actions=5, projects=50)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, query).status_code == 200
    _grow(public, office_a, [messina, lipari], actions=495, projects=1950)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, query)
    assert response.status_code == 200
    if not query:
        assert response.context["summary"]["n"] == 502
    assert len(large) == len(small), [q["sql"][:120] for q in large]


def test_the_open_data_csv_has_every_public_version(client, public, published_a):
    AgendaFactory(year=2028)  # a draft: not in the open data
    AgendaActionFactory(agenda=public, position=3, title='=HYPERLINK("http://x")', projects=[published_a])
    response = client.get(reverse("projects:agenda_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["year", "version", "agenda_status", "approved_by_act", "code"]
    assert [row[4] for row in rows[1:]] == ["A2027.1", "A2027.2", "A2027.3"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["budget"] == "1234.56" and first["objective_code"] == "A1.1"
    assert first["project_cups"] == published_a.cup and first["municipalities_istat"] == "083048"
    assert first["url"].endswith("/agenda/2027/")
    assert "'=HYPERLINK" in body  # the formula guard
    assert '"Progettazione del ponte"' in body  # texts are quoted


def test_the_open_data_catalogue_lists_the_agenda(client):
    html = client.get(reverse("opendata")).content.decode()
    assert reverse("projects:agenda_csv") in html


@pytest.mark.parametrize("name", CAST)
def test_everybody_downloads_the_open_data(name, cast, login, public):
    response = login(cast(name)).get(reverse("projects:agenda_csv"))
    assert response.status_code == 200
    assert "Pulizia degli argini" in response.content.decode()
    assert login(cast(name)).post(reverse("projects:agenda_csv")).status_code == 405
