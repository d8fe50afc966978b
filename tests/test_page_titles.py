"""The browser tab reads "page · site", never the two run together."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

SITE = "Piano Strategico Metropolitano di Messina"


def _title(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_page_title_comes_before_the_site_name(client):
    assert _title(client, "/comuni/") == f"Comuni · {SITE}"


def test_a_title_with_an_apostrophe_is_escaped_once(client):
    assert _title(client, "/comuni/083084/") == f"Sant&#x27;Agata di Militello · {SITE}"


def test_the_home_page_has_the_site_name_alone(client):
    assert _title(client, "/") == SITE
