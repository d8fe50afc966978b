"""A NUL byte in an address or a search is refused before it reaches the database (PostgreSQL gives a 500).
The bad-input corpus (``tests/test_bad_input.py``) sends NUL bytes to every other form and filter."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import override

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/comuni/\x00/",
        "/comuni/08304\x00/",
        "/visione/obiettivi/\x00/",
        "/visione/obiettivi/A1\x00/",
        "/area-riservata/posizioni/ufficio/viab\x00ilita/",
        "/area-riservata/posizioni/comune/083048/A1\x00/",
    ],
)
def test_a_nul_byte_in_the_path_matches_no_page(path):
    with override("it"), pytest.raises(Resolver404):
        resolve(path)


@pytest.mark.parametrize("url", ["/comuni/%00/", "/visione/obiettivi/%00/"])
def test_a_nul_byte_in_the_path_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/comuni/083048/", "/visione/obiettivi/A/", "/visione/obiettivi/A12.3/"])
def test_well_formed_addresses_still_resolve(url):
    with override("it"):
        assert resolve(url)


def test_the_objective_url_reverses_for_every_level():
    with override("it"):
        assert reverse("phases:objective", args=["A1.2"]) == "/visione/obiettivi/A1.2/"
        assert reverse("municipalities:detail", args=["083048"]) == "/comuni/083048/"


def test_a_nul_byte_in_the_municipality_search_is_refused_with_a_message(client):
    response = client.get(reverse("municipalities:list"), {"q": "Mess\x00ina", "ordina": "-popolazione"})
    assert response.status_code == 200
    assert response.context["query"] == ""
    assert len(response.context["municipalities"]) == 108
    # The order is a valid field of its own: it is kept.
    assert response.context["sort"] == "-popolazione"
    assert 'id="q-errore"' in response.content.decode()


def test_an_unknown_order_falls_back_to_the_name(client):
    response = client.get(reverse("municipalities:list"), {"q": "lipari", "ordina": "\x00"})
    assert response.status_code == 200
    assert response.context["sort"] == "nome"
    assert [m.name for m in response.context["municipalities"]] == ["Lipari"]
