"""Public pages of the 108 comuni: list with map, search and sorting, profile page, open data."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re

import pytest
from django.urls import reverse

from municipalities.maps import MunicipalityMap, categorical, choropleth
from municipalities.models import Municipality
from phases.models import NeedAttachment
from psm_portal.accounts.factories import UserFactory
from psm_portal.accounts.models import Role
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

LIST = reverse("municipalities:list")
MAP_LINK = re.compile(r'<a href="(/comuni/(\d{6})/)" aria-label="([^"]+)" class="psm-map-link">')


def _names(response) -> list[str]:
    return [m.name for m in response.context["municipalities"]]


def test_list_shows_the_108_in_a_table_with_caption(client):
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["municipalities"]) == 108
    assert "<caption id=" in html and '<th scope="col"' in html and '<th scope="row">' in html
    assert ">218.786<" in html  # Messina, Italian thousands separator
    assert ">212,10<" in html  # its area, decimal comma
    assert "108 comuni trovati" in html


def test_map_holds_108_links_each_named_after_its_municipality(client):
    html = client.get(LIST).content.decode()
    links = MAP_LINK.findall(html)
    assert len(links) == 108
    names = dict(Municipality.objects.values_list("istat_code", "name"))
    assert {code for _, code, _ in links} == set(names)
    for url, code, label in links:
        assert htmllib.unescape(label) == names[code]
        assert url == reverse("municipalities:detail", args=[code])
    assert 'aria-labelledby="mappa-comuni-title mappa-comuni-desc"' in html


def test_every_map_link_opens_a_page(client):
    html = client.get(LIST).content.decode()
    for url, _, _ in MAP_LINK.findall(html)[:10]:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ALI TERME", ["Alì Terme"]),
        ("ali", None),
        ("sant’agata", ["Sant'Agata di Militello"]),
        ("SANT'AGATA", ["Sant'Agata di Militello"]),
        ("  messina  ", ["Messina"]),
        ("basico", ["Basicò"]),
        ("nessun comune si chiama così", []),
    ],
)
def test_search_ignores_accents_case_and_apostrophes(client, query, expected):
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    names = _names(response)
    if expected is None:  # "ali" finds every name holding it, accented or not
        assert {"Alì", "Alì Terme", "Santa Marina Salina"} <= set(names)
        assert all("ali" in m.name_folded for m in response.context["municipalities"])
    else:
        assert names == expected


def test_keyboard_users_can_skip_the_map(client):
    html = client.get(LIST).content.decode()
    skip = html.index('href="#ricerca-comuni"')
    assert skip < html.index('class="psm-map-link"')
    assert 'id="ricerca-comuni"' in html


def test_search_keeps_the_map_whole_and_says_how_many(client):
    html = client.get(LIST, {"q": "terme"}).content.decode()
    assert len(MAP_LINK.findall(html)) == 108
    assert "Mostra tutti" in html


def test_empty_search_says_so(client):
    html = client.get(LIST, {"q": "zzz"}).content.decode()
    assert "Nessun comune corrisponde alla ricerca." in html
    assert "0 comuni trovati" in html


def test_overlong_search_is_cut_not_refused(client):
    response = client.get(LIST, {"q": "a" * 5000})
    assert response.status_code == 200
    assert len(response.context["query"]) == 100


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("nome", "Acquedolci", "Villafranca Tirrena"),
        ("-nome", "Villafranca Tirrena", "Acquedolci"),
        ("-popolazione", "Messina", None),
        ("popolazione", None, "Messina"),
        ("-superficie", "Caronia", None),
    ],
)
def test_sorting(client, sort, first, last):
    response = client.get(LIST, {"ordina": sort})
    names = _names(response)
    if first:
        assert names[0] == first
    if last:
        assert names[-1] == last
    municipalities = list(response.context["municipalities"])
    key = {"nome": "name", "popolazione": "population", "superficie": "area_km2"}[sort.lstrip("-")]
    values = [getattr(m, key) for m in municipalities]
    if key != "name":
        assert values == sorted(values, reverse=sort.startswith("-"))


def test_sort_links_toggle_and_mark_the_column(client):
    html = client.get(LIST, {"ordina": "-popolazione", "q": "a"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert "?ordina=popolazione&amp;q=a" in html or "?q=a&amp;ordina=popolazione" in html


def test_unknown_sort_falls_back_to_name(client):
    response = client.get(LIST, {"ordina": "drop table"})
    assert response.status_code == 200
    assert response.context["sort"] == "nome"


def test_post_is_refused(client):
    assert client.post(LIST).status_code == 405


@pytest.mark.parametrize("who", CAST)
def test_list_and_detail_are_public_for_the_whole_cast(cast, login, who):
    client = login(cast(who))
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("municipalities:detail", args=["083041"])).status_code == 200


def test_detail_shows_the_profile_and_a_locator_map(client):
    response = client.get(reverse("municipalities:detail", args=["083048"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Messina" in html and "capoluogo" in html
    assert "218.786" in html and "212,10 km²" in html and "F158" in html
    assert 'data-istat="083048"' in html and 'fill="#0066cc"' in html
    assert len(MAP_LINK.findall(html)) == 108
    assert 'aria-current="page">Messina<' in html


def test_detail_of_a_small_municipality(client):
    html = client.get(reverse("municipalities:detail", args=["083041"])).content.decode()
    assert "<h1>Lipari" in html and "capoluogo" not in html


@pytest.mark.parametrize("code", ["999999", "083999", "abc", "08304"])
def test_unknown_code_is_404(client, code):
    response = client.get(f"/comuni/{code}/")
    assert response.status_code == 404


def test_list_in_english(client):
    response = client.get("/en" + LIST)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def _shrink_to(count: int) -> None:
    keep = list(Municipality.objects.order_by("istat_code").values_list("istat_code", flat=True)[:count])
    Municipality.objects.exclude(istat_code__in=keep).delete()


@pytest.mark.parametrize("size", ["small", "full"])
def test_list_query_count_does_not_depend_on_data(client, django_assert_max_num_queries, size, office_a):
    if size == "small":
        _shrink_to(12)
    else:
        # Representatives and offices never enter the list: their number must not matter either.
        for municipality in Municipality.objects.all()[:40]:
            UserFactory(role=Role.MAYOR, municipality=municipality)
    with django_assert_max_num_queries(3) as captured:
        response = client.get(LIST, {"ordina": "-popolazione"})
    assert len(response.context["municipalities"]) == (12 if size == "small" else 108)
    assert len(captured.captured_queries) == 2  # the table and the map


def test_detail_query_count_does_not_depend_on_data(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("municipalities:detail", args=["083001"])).status_code == 200
        return len(queries)

    full = count()
    _shrink_to(12)
    # The profile and each section of later features cost a fixed number of queries (istanze, the open review,
    # positions, projects, implementation, participation, vocations, working tables, outcomes).
    assert count() == full <= 13


def _seed_profile(municipality, size: int) -> None:
    """``size`` items in every section of the profile: positions on a closed Vision, istanze linked to
    objectives, published projects (of different offices, with objectives), questionnaires with results."""
    from datetime import date, timedelta

    from django.utils import timezone

    from phases.factories import NeedFactory, ObjectiveFactory, PositionFactory, VisionVersionFactory
    from phases.models import Stance, VisionStatus
    from projects.factories import ProjectFactory
    from psm_portal.accounts.factories import OfficeFactory
    from surveys.factories import QuestionnaireFactory
    from surveys.models import Response

    axis = ObjectiveFactory(code="Z", order=26, title="Asse di prova")
    version = VisionVersionFactory(number=1, status=VisionStatus.CLOSED)
    if not version.positions.exists():
        PositionFactory(version=version, municipality=municipality, objective=None, stance=Stance.AGREE)
    now = timezone.now()
    for i in range(size):
        objective = ObjectiveFactory(code=f"Z{size}{i}", parent=axis, order=i + 1, title=f"Obiettivo {size}-{i}")
        PositionFactory(version=version, municipality=municipality, objective=objective, stance=Stance.DISAGREE)
        need = NeedFactory(municipality=municipality, title=f"Istanza {size}-{i}", reply="Presa in carico.")
        need.objectives.set([objective, *list(axis.children.all()[:1])])
        ProjectFactory(
            title=f"Progetto {size}-{i}",
            office=OfficeFactory(),
            municipalities=[municipality, *Municipality.objects.exclude(pk=municipality.pk)[:2]],
            objectives=[objective],
        )
        ProjectFactory(title=f"Progetto di area {size}-{i}", whole_area=True)
        questionnaire = QuestionnaireFactory(
            opens_at=now - timedelta(days=60 + i), closes_at=now - timedelta(days=30 + i), results_published=True
        )
        Response.objects.bulk_create(
            Response(questionnaire=questionnaire, submitted_on=date.today(), municipality=municipality)
            for _ in range(3)
        )


def test_detail_query_count_with_every_section_filled(client, messina):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def visit() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("municipalities:detail", args=[messina.istat_code]))
        assert response.status_code == 200
        assert len(response.context["sections"]) == 5  # + what became of the contributions (outcomes)
        return len(queries), response.content.decode()

    _seed_profile(messina, 1)
    small, html = visit()
    for shown in ("Istanza 1-0", "Progetto 1-0", "Obiettivo 1-0", "Questionario di prova"):
        assert shown in html, shown
    _seed_profile(messina, 12)
    # Every section at two sizes (beyond the ten items a section shows): the same number of queries.
    assert visit()[0] == small


def test_opendata_csv_is_exactly_as_specified(client):
    response = client.get(reverse("municipalities:opendata_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="comuni.csv"' in response["Content-Disposition"]
    raw = response.content
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == '"istat_code","name","population","area_km2"'  # texts quoted, numbers bare
    assert len(lines) == 109
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(row) == 4 for row in rows)
    assert ["083048", "Messina", "218786", "212.10"] in rows
    assert ["083002", "Alì", "657", "16.03"] in rows
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert len({r[0] for r in rows[1:]}) == 108
    assert sum(int(r[2]) for r in rows[1:]) == 598811


def test_opendata_page_lists_the_csv_with_the_licence(client):
    response = client.get(reverse("opendata"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/deed.it" in html
    assert f'href="{reverse("municipalities:opendata_csv")}"' in html
    assert "<caption id=" in html


def test_map_legend_words_are_translatable(monkeypatch):
    monkeypatch.setattr("municipalities.maps.gettext", lambda text: f"«{text}»")
    _, legend = choropleth({"083048": 10, "083041": 2})
    assert legend[0].label == "«nessuno»"
    assert legend[1].label == "«fino a 2»"


def test_attachment_upload_time_has_an_italian_label():
    assert NeedAttachment._meta.get_field("uploaded_at").verbose_name == "caricato il"


def test_map_component_colours_and_notes():
    fills, legend = choropleth({"083048": 10, "083041": 2, "083001": 0})
    assert fills["083048"] != fills["083041"] and "083001" not in fills
    assert legend[0].label == "nessuno"
    rendered = MunicipalityMap(
        title="Progetti per comune",
        description="Numero di progetti",
        fills=fills,
        notes={"083048": "10 progetti"},
        legend=legend,
        links=False,
        dom_id="mappa-progetti",
    ).render()
    assert rendered.count("<path") == 108 + 0
    assert "psm-map-link" not in rendered
    assert "<title>Messina: 10 progetti</title>" in rendered
    assert 'id="mappa-progetti-title"' in rendered and "psm-map-legend" in rendered
    states, legend = categorical({"083048": "sent"}, {"sent": ("#008055", "istanza inviata")})
    assert states == {"083048": "#008055"} and legend[0].label == "istanza inviata"
