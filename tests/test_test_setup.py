"""The test run itself: files written by any test stay in its temporary directory; no cached value outlives a test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from psm_portal.lib.memo import Memo

# Keeps its values until cleared, like a memo whose setting says «for ever».
LEFT_BEHIND = Memo("tests.left_behind", None)
CACHE_KEY = "tests:left-behind"
_written: list[str] = []


def test_uploads_go_to_the_test_temporary_directory(tmp_path):
    name = default_storage.save("private/prova.txt", ContentFile(b"prova"))
    assert Path(default_storage.path(name)).is_relative_to(tmp_path)


def test_a_test_leaves_a_value_in_the_cache_and_in_a_memo():
    """The first half of a pair: the next test finds neither value (the root conftest's ``_fresh_caches``)."""
    cache.set(CACHE_KEY, "dal test precedente", 3600)
    LEFT_BEHIND.set("k", "dal test precedente")
    assert cache.get(CACHE_KEY) == LEFT_BEHIND.get("k") == "dal test precedente"
    _written.append("both")


def test_the_next_test_starts_without_them():
    if not _written:
        pytest.skip("runs after test_a_test_leaves_a_value_in_the_cache_and_in_a_memo, in the same session")
    assert cache.get(CACHE_KEY) is None
    assert LEFT_BEHIND.get("k") is None
