"""/progetti/: filters, sorting, pagination, totals in SQL, the map; the project page; the municipality section."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.factories import ProjectFactory
from projects.models import Publication, Status
from psm_portal.accounts.factories import OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(office_a, office_b, messina, lipari):
    return {
        "road": ProjectFactory(
            office=office_a,
            title="Strada panoramica",
            status=Status.IN_PROGRESS,
            total_cost=Decimal("1000000"),
            municipalities=[messina],
            funding={"pnrr": Decimal("900000"), "metro_city": Decimal("100000")},
        ),
        "school": ProjectFactory(
            office=office_b,
            title="Scuola media di Lipari",
            status=Status.FUNDED,
            total_cost=Decimal("250000.50"),
            municipalities=[lipari],
            funding={"fsc": Decimal("250000.50")},
        ),
        "both": ProjectFactory(
            office=office_a,
            title="Collegamento marittimo",
            status=Status.PLANNED,
            total_cost=Decimal("5000000"),
            municipalities=[messina, lipari],
            funding={"region": Decimal("2000000"), "to_be_found": Decimal("3000000")},
        ),
        "area": ProjectFactory(
            office=office_b, title="Rete ciclabile", status=Status.IDEA, cup="", whole_area=True, total_cost=None
        ),
        "draft": ProjectFactory(
            office=office_a, title="Bozza nascosta", publication=Publication.DRAFT, municipalities=[messina]
        ),
    }


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"]]


def get(client, **params):
    return client.get(reverse("projects:catalogue"), params)


def test_published_only_with_totals(client, catalogue):
    response = get(client)
    assert sorted(titles(response)) == [
        "Collegamento marittimo",
        "Rete ciclabile",
        "Scuola media di Lipari",
        "Strada panoramica",
    ]
    assert response.context["totals"] == {"cost": Decimal("6250000.50"), "funding": Decimal("6250000.50")}
    html = response.content.decode()
    assert "€ 6.250.000,50" in html


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"ufficio": "OFFICE_B"}, ["Rete ciclabile", "Scuola media di Lipari"]),
        ({"comune": "083041"}, ["Collegamento marittimo", "Scuola media di Lipari"]),
        ({"stato": "in_progress"}, ["Strada panoramica"]),
        ({"fonte": "pnrr"}, ["Strada panoramica"]),
        ({"fonte": "to_be_found"}, ["Collegamento marittimo"]),
        ({"costo_min": "250.000,50", "costo_max": "1.000.000"}, ["Scuola media di Lipari", "Strada panoramica"]),
        ({"q": "lipari"}, ["Scuola media di Lipari"]),
        ({"comune": "083048", "fonte": "region"}, ["Collegamento marittimo"]),
    ],
)
def test_filters(client, catalogue, office_b, params, expected):
    params = {k: (office_b.pk if v == "OFFICE_B" else v) for k, v in params.items()}
    assert titles(get(client, **params)) == expected


def test_filtered_totals(client, catalogue):
    response = get(client, comune="083041")
    assert response.context["totals"] == {"cost": Decimal("5250000.50"), "funding": Decimal("5250000.50")}
    assert response.context["summary"]["n"] == 2


def test_unknown_objective_code_says_so(client, catalogue):
    response = get(client, obiettivo="A1.2")
    assert titles(response) == []
    assert "obiettivo sconosciuto: «A1.2»" in response.content.decode()


def test_bad_filter_values_never_give_500(client, catalogue):
    response = get(client, costo_min="tanti", comune="999999", ufficio="x", stato="boh", ordina="drop", pagina="-3")
    assert response.status_code == 200
    assert "Alcuni filtri non sono validi" in response.content.decode()
    assert len(titles(response)) == 4


@pytest.mark.parametrize(
    "sort,first",
    [("titolo", "Collegamento marittimo"), ("-titolo", "Strada panoramica"), ("-costo", "Collegamento marittimo")],
)
def test_sorting(client, catalogue, sort, first):
    assert titles(get(client, ordina=sort))[0] == first


def test_pagination(client, office_a):
    ProjectFactory.create_batch(25, office=office_a)
    first, second = get(client), get(client, pagina=2)
    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert "Pagina 2 di 2" in second.content.decode()


def fill_of(html: str, istat: str) -> str:
    import re

    return re.search(rf'fill="(#[0-9a-f]+)" class="psm-map-shape" data-istat="{istat}"', html).group(1)


def test_map_colours_by_number_or_amount(client, catalogue):
    by_number = get(client).content.decode()
    assert 'aria-label="Messina: 2 progetti"' in by_number
    assert fill_of(by_number, "083048") != "#d9dadb" and fill_of(by_number, "083001") == "#d9dadb"
    assert fill_of(by_number, "083048") == fill_of(by_number, "083041")  # two projects each
    by_amount = get(client, mappa="importo").content.decode()
    assert 'aria-label="Lipari: € 5.250.000,50"' in by_amount
    assert fill_of(by_amount, "083041") != fill_of(by_amount, "083048")


def test_map_changes_with_the_data(client, catalogue, lipari):
    before = get(client).content.decode()
    ProjectFactory(title="Altro", municipalities=[lipari])
    after = get(client).content.decode()
    assert 'aria-label="Lipari: 3 progetti"' in after and before != after


@pytest.mark.parametrize("size", [5, 60])
def test_catalogue_query_count_is_independent_of_size(client, django_assert_max_num_queries, messina, lipari, size):
    office = OfficeFactory()
    for n in range(size):
        ProjectFactory(office=office, municipalities=[messina, lipari], funding={"pnrr": Decimal(n + 1)})
    with django_assert_max_num_queries(11):  # first visit: aggregates computed
        response = get(client, fonte="pnrr", comune="083048", ordina="-costo")
    assert response.context["summary"]["n"] == size
    with django_assert_max_num_queries(8):  # same filters again: aggregates from the cache
        response = get(client, fonte="pnrr", comune="083048", ordina="costo", pagina=2)
    assert response.context["summary"]["n"] == size


def test_cached_totals_follow_every_change(client, catalogue, login, office_a_user):
    assert get(client).context["summary"]["n"] == 4
    login(office_a_user).post(reverse("projects:publish", args=[catalogue["draft"].pk]), {"azione": "pubblica"})
    assert get(client).context["summary"]["n"] == 5
    road = catalogue["road"]
    login(office_a_user).post(reverse("projects:publish", args=[road.pk]), {"azione": "ritira"})
    response = get(client)
    assert response.context["summary"]["n"] == 4
    assert road.title not in response.content.decode()


def test_project_page_shows_money_the_italian_way(client, catalogue):
    html = client.get(catalogue["road"].get_absolute_url()).content.decode()
    assert "€ 1.000.000,00" in html and "€ 900.000,00" in html
    assert "Storico delle modifiche" not in html  # the history is for editors


def test_unknown_project_is_404(client):
    assert client.get(reverse("projects:detail", args=[999999])).status_code == 404


def test_municipality_page_lists_its_projects(client, catalogue):
    html = client.get(reverse("municipalities:detail", args=["083041"])).content.decode()
    assert "Scuola media di Lipari" in html and "Collegamento marittimo" in html
    assert "Strada panoramica" not in html
    assert "Inoltre 1 progetto riguarda l'intera area metropolitana." in html


@pytest.mark.parametrize("size", [2, 30])
def test_municipality_page_query_count_is_constant(client, django_assert_max_num_queries, office_a, messina, size):
    ProjectFactory.create_batch(size, office=office_a, municipalities=[messina])
    # Profile, map, and a fixed number per section (istanze, positions, projects, participation, implementation,
    # vocations, working tables, outcomes).
    with django_assert_max_num_queries(14):
        client.get(reverse("municipalities:detail", args=["083048"]))


@pytest.mark.parametrize("size", [3, 40])
def test_office_list_query_count(login, office_a_user, django_assert_max_num_queries, office_a, size):
    ProjectFactory.create_batch(size, office=office_a)
    client = login(office_a_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("projects:office_projects"))
