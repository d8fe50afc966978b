"""The Atom feed: announced in every page's head, parses as Atom, each entry's link opens the news item."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.news.conftest import make_news

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_page_announces_the_feed(client):
    for url in (reverse("home"), reverse("news:list"), reverse("subscriptions:subscribe")):
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html and reverse("news:feed") in html


def test_the_feed_is_atom_and_its_links_resolve(client, draft):
    make_news(3)
    response = client.get(reverse("news:feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text and root.find(f"{ATOM}updated").text and root.find(f"{ATOM}id").text
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Città Metropolitana di Messina"
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3  # the draft is not in it
    for entry in entries:
        assert entry.find(f"{ATOM}title").text.startswith("Notizia")
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert client.get(urlsplit(link).path).status_code == 200
