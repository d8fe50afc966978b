"""The Italian catalogue is complete (Italian is the source language) and so is the English one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def entries(language: str) -> list[str]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return text.split("\n\n")[1:]  # the first block is the header


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_string_is_translated_and_none_is_a_guess(language):
    blocks = entries(language)
    assert len(blocks) > 1000
    untranslated = [
        b
        for b in blocks
        if re.search(r'\nmsgstr(\[\d\])? ""$', b, flags=re.M) and not re.search(r'\nmsgstr(\[\d\])? ""\n"', b)
    ]
    fuzzy = [b for b in blocks if "#, fuzzy" in b]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogues_are_shipped():
    for language in ("it", "en"):
        folder = LOCALE / language / "LC_MESSAGES"
        assert (folder / "django.mo").stat().st_size > 10_000


@pytest.mark.django_db
def test_english_pages_speak_english(client):
    html = client.get("/en/comuni/").content.decode()
    assert 'lang="en"' in html and "Search" in html
