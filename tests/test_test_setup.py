"""The test run itself: files written by any test stay in its temporary directory."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def test_uploads_go_to_the_test_temporary_directory(tmp_path):
    name = default_storage.save("private/prova.txt", ContentFile(b"prova"))
    assert Path(default_storage.path(name)).is_relative_to(tmp_path)
