"""The portal's search, ``/cerca/``: the header's box finds projects, objectives, comuni and questionnaires by words,
accent-insensitive, grouped by kind and paginated per kind, in a constant number of queries; drafts never reach the
public; any input gives a page with an Italian message, never a 500. Runs on SQLite (the fold) and, with
DATABASE_URL, on PostgreSQL (full-text search, Italian configuration, unaccent)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phases.factories import ObjectiveFactory
from projects.factories import ProjectFactory
from projects.models import Publication
from psm_portal.lib.search import SearchKind, matching, search_registry, words
from surveys.factories import QuestionnaireFactory
from surveys.models import Questionnaire
from tests.conftest import CAST, skip_or_fail

pytestmark = pytest.mark.django_db

SEARCH = reverse("pages:search")


def _search(client, q: str, **params):
    return client.get(SEARCH, {"q": q, **params})


def _titles(response) -> list[str]:
    return [result["title"] for group in response.context["groups"] for result in group["results"]]


def _group(response, key: str) -> dict:
    return next(group for group in response.context["groups"] if group["kind"].key == key)


def test_the_header_has_a_search_box_that_works_without_javascript(client):
    html = client.get("/").content.decode()
    assert f'<form method="get" action="{SEARCH}" role="search"' in html
    assert '<label for="psm-header-q" class="visually-hidden">Cerca nel portale</label>' in html
    assert 'id="psm-header-q" name="q"' in html
    english = client.get("/en/").content.decode()
    assert 'action="/en/cerca/"' in english and "Search the portal" in english


def test_without_accents_finds_with_accents_and_the_other_way_round(client, office_a):
    ProjectFactory(title="Riqualificazione della Città vecchia", office=office_a)
    ObjectiveFactory(title="Una città più accessibile", description="Per tutti.")
    response = _search(client, "citta")
    assert response.status_code == 200
    assert set(_titles(response)) >= {"Riqualificazione della Città vecchia"}
    assert any("Una città più accessibile" in title for title in _titles(response))
    assert "Forza d'Agrò" in _titles(_search(client, "AGRO"))
    assert "Alì Terme" in _titles(_search(client, "ali terme"))
    assert "Riqualificazione della Città vecchia" in _titles(_search(client, "CITTÀ Vecchia"))


def test_every_word_must_be_found(client, office_a):
    ProjectFactory(title="Ponte sul torrente Mela", office=office_a)
    ProjectFactory(title="Ponte di Lipari", office=office_a)
    assert [r["title"] for r in _group(_search(client, "ponte mela"), "progetti")["results"]] == [
        "Ponte sul torrente Mela"
    ]
    assert _group(_search(client, "ponte"), "progetti")["count"] == 2


def test_results_are_grouped_by_kind_in_the_registry_order_and_empty_kinds_left_out(client, office_a):
    ProjectFactory(title="Porto turistico di Milazzo", office=office_a)
    QuestionnaireFactory(title="Il futuro di Milazzo", slug="milazzo")
    response = _search(client, "milazzo")
    found = [(group["kind"].key, group["count"]) for group in response.context["groups"] if group["count"]]
    assert found == [("comuni", 1), ("progetti", 1), ("questionari", 1)]
    html = response.content.decode()
    assert html.index('id="risultati-comuni"') < html.index('id="risultati-progetti"')
    assert 'id="risultati-obiettivi"' not in html
    assert "3 risultati per «milazzo»" in html
    assert reverse("surveys:start", args=["milazzo"]) in html
    assert reverse("municipalities:detail", args=["083049"]) in html


def test_each_kind_is_paginated_on_its_own_page(client, office_a):
    for n in range(25):
        ProjectFactory(title=f"Manutenzione stradale lotto {n:02d}", office=office_a)
    overview = _search(client, "manutenzione")
    group = _group(overview, "progetti")
    assert group["count"] == 25 and len(group["results"]) == 5
    html = overview.content.decode()
    link = f"{SEARCH}?q=manutenzione&amp;tipo=progetti"
    assert link in html and "Tutti i 25 risultati in «Progetti»" in html
    first = _search(client, "manutenzione", tipo="progetti")
    assert len(first.context["results"]) == 20
    assert "Pagina 1 di 2" in first.content.decode()
    second = _search(client, "manutenzione", tipo="progetti", pagina="2")
    assert len(second.context["results"]) == 5
    titles = {r["title"] for r in first.context["results"]} | {r["title"] for r in second.context["results"]}
    assert len(titles) == 25
    # A page that does not exist is the last one or the first, never an error.
    assert _search(client, "manutenzione", tipo="progetti", pagina="99").context["page"].number == 2
    assert _search(client, "manutenzione", tipo="progetti", pagina="x²").context["page"].number == 1


def _queries(client, url_params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, url_params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_results(client, office_a, team_user, login):
    for n in range(3):
        ProjectFactory(title=f"Scuola sicura {n}", office=office_a)
        ObjectiveFactory(title=f"Scuola {n}")
        QuestionnaireFactory(title=f"Scuola e quartiere {n}", slug=f"scuola-{n}")
    small = _queries(client, {"q": "scuola"}), _queries(client, {"q": "scuola", "tipo": "progetti"})
    for n in range(3, 40):
        ProjectFactory(title=f"Scuola sicura {n}", office=office_a)
        ObjectiveFactory(title=f"Scuola {n}")
        QuestionnaireFactory(title=f"Scuola e quartiere {n}", slug=f"scuola-{n}")
    large = _queries(client, {"q": "scuola"}), _queries(client, {"q": "scuola", "tipo": "progetti"})
    assert small == large
    assert large[0] <= 2 * len(search_registry.kinds()) + 2
    staff = login(team_user)
    assert _queries(staff, {"q": "scuola"}) <= large[0] + 6  # the session and the user, not the data


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Scrivi una o più parole da cercare."),
        ("    ", "Scrivi una o più parole da cercare."),
        ("!!! ?? -- «»", "Scrivi almeno una parola di 2 o più lettere o cifre."),
        ("a", "Scrivi almeno una parola di 2 o più lettere o cifre."),
        ("x" * 201, "Assicurati che questo valore non contenga più di 200 caratteri (ne ha 201)."),
        ("ponte\x00", "I caratteri null non sono ammessi."),
    ],
)
def test_empty_huge_or_garbage_queries_get_an_italian_message(client, q, message):
    response = _search(client, q)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "groups" not in response.context or response.context.get("groups") is None


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "%_%", "a & b | !c", "<script>alert(1)</script>", "ponte:*", "((((", "\\", "𝔭𝔬𝔫𝔱𝔢 ☃"]
)
def test_operators_and_markup_are_only_words(client, office_a, q):
    ProjectFactory(title="Ponte sul torrente", office=office_a)
    response = _search(client, q)
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_sql_wildcards_are_not_wildcards(client, office_a):
    ProjectFactory(title="Ponte sul torrente", office=office_a)
    assert _group(_search(client, "%% __"), "progetti")["count"] == 0


def test_the_page_without_a_query_invites_to_search(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Puoi cercare tra:" in html and "comuni" in html
    assert "Scrivi una o più parole" not in html


def test_a_forged_kind_is_404(client):
    assert client.get(SEARCH, {"q": "ponte", "tipo": "utenti"}).status_code == 404
    assert client.get(SEARCH, {"q": "ponte", "tipo": ""}).status_code == 404


def test_only_get(client):
    assert client.post(SEARCH, {"q": "ponte"}).status_code == 405


def test_a_nothing_found_search_says_so(client):
    response = _search(client, "zzzxqw")
    assert response.status_code == 200
    assert "Nessun risultato per «zzzxqw»" in response.content.decode()


DRAFT_FINDERS = {"team_user", "office_a_user"}


@pytest.mark.parametrize("who", CAST)
def test_drafts_are_found_only_by_who_may_read_them(cast, login, who, office_a):
    ProjectFactory(title="Ciclovia tirrenica pubblicata", office=office_a)
    ProjectFactory(title="Ciclovia tirrenica in bozza", office=office_a, publication=Publication.DRAFT)
    QuestionnaireFactory(title="Ciclovia: il questionario in bozza", slug="bozza", status=Questionnaire.Status.DRAFT)
    client = login(cast(who))
    response = _search(client, "ciclovia")
    assert response.status_code == 200
    titles = _titles(response)
    assert "Ciclovia tirrenica pubblicata" in titles
    assert ("Ciclovia tirrenica in bozza" in titles) is (who in DRAFT_FINDERS)
    assert "Ciclovia: il questionario in bozza" not in titles
    listed = _search(client, "ciclovia", tipo="progetti").context["results"]
    assert ("Ciclovia tirrenica in bozza" in [r["title"] for r in listed]) is (who in DRAFT_FINDERS)
    for result in listed:  # every result found leads to a page this user may read
        assert client.get(result["url"]).status_code == 200


def test_english_under_en(client):
    response = client.get("/en" + SEARCH, {"q": "messina"})
    html = response.content.decode()
    assert "Search the portal" in html and "1 result for «messina»." in html


def test_a_new_kind_is_a_few_lines(client, office_a):
    """The registry's contract as ARCHITECTURE.md documents it: a kind registered is searched and shown."""
    from psm_portal.accounts.models import Office

    kind = SearchKind(
        key="uffici",
        label="Uffici",
        fields=("name",),
        queryset=lambda user: Office.objects.all(),
        describe=lambda office: {"title": office.name, "url": "/"},
    )
    search_registry.register(kind, order=99)
    try:
        assert "Viabilità e infrastrutture" in _titles(_search(client, "viabilita"))
    finally:
        search_registry._kinds.pop("uffici")


def test_words_are_folded_short_ones_dropped_and_bounded():
    assert words("  Città  d'Agrò, è la PIÙ bella!! ") == ["citta", "agro", "la", "piu", "bella"]
    assert words(" ".join(f"parola{n}" for n in range(30))) == [f"parola{n}" for n in range(10)]
    assert words("ponte ponte PONTE") == ["ponte"]


def test_postgresql_stems_italian_words_and_ignores_accents(office_a):
    """Full-text search with the Italian configuration: a word finds its other forms ("progetti" finds "progetto",
    "biblioteca" finds "biblioteche"). CI runs it on PostgreSQL (DATABASE_URL)."""
    if connection.vendor != "postgresql":
        skip_or_fail("la ricerca a testo pieno con la configurazione italiana esiste solo su PostgreSQL (DATABASE_URL)")
    ProjectFactory(title="Il progetto delle biblioteche comunali", office=office_a)
    ProjectFactory(title="Università e città", office=office_a)
    projects = search_registry.get("progetti")
    found = [p.title for p in matching(projects, AnonymousUser(), ["progetti", "biblioteca", "comunale"])]
    assert found == ["Il progetto delle biblioteche comunali"]
    assert [p.title for p in matching(projects, AnonymousUser(), ["universita", "citta"])] == ["Università e città"]
    # Stop words alone find nothing, without an error.
    assert list(matching(projects, AnonymousUser(), ["il", "delle"])) == []


@pytest.mark.parametrize("who", CAST)
def test_published_minutes_and_news_are_found_and_drafts_never(cast, login, who, office_a):
    from django.utils import timezone

    from news.models import News, NewsStatus
    from tables.models import MinutesState, Session, WorkingTable

    table = WorkingTable.objects.create(title="Mobilità", theme="Trasporti", coordinator_office=office_a)
    for state, title in ((MinutesState.PUBLISHED, "Seduta pubblicata"), (MinutesState.DRAFT, "Seduta in bozza")):
        Session.objects.create(
            table=table,
            title=title,
            starts_at=timezone.now(),
            place="Palazzo dei Leoni",
            minutes_html="<p>Si è discusso del <strong>traghettamento</strong> sullo Stretto.</p>",
            minutes_state=state,
        )
    News.objects.create(
        title="Traghettamento: nuove corse",
        slug="traghettamento",
        summary="Le corse estive.",
        status=NewsStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    News.objects.create(title="Traghettamento in bozza", slug="bozza", summary="Non ancora.")
    client = login(cast(who))
    response = _search(client, "traghettamento")
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Seduta pubblicata", "Traghettamento: nuove corse"]
    html = response.content.decode()
    assert "Verbale della seduta del" in html and "<strong>" not in html.split('id="risultati-verbali"')[1]
    assert reverse("tables:session", args=[Session.objects.get(title="Seduta pubblicata").pk]) in html
    assert reverse("news:detail", args=["traghettamento"]) in html
