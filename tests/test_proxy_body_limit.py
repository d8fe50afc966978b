"""README gives the reverse proxy's body limit, and it fits the portal's own limits: a little above the largest
body a legitimate form sends (so an oversized file still reaches the portal and gets its Italian message), and
no more than that plus what Django accepts of the other fields."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from phases.forms import NeedForm, PositionForm
from psm_portal.lib.uploads import MAX_DOCUMENT_BYTES, DocumentField

README = Path(__file__).resolve().parent.parent / "README.md"
MIB = 1024 * 1024


def _documents(form_class) -> int:
    return sum(isinstance(field, DocumentField) for field in form_class.base_fields.values())


def test_readme_gives_nginx_a_body_limit_matching_the_portal():
    match = re.search(r"client_max_body_size\s+(\d+)m\b", README.read_text(encoding="utf-8"))
    assert match, "README.md must give nginx's client_max_body_size"
    proxy_limit = int(match.group(1)) * MIB
    largest_body = max(
        _documents(NeedForm) * MAX_DOCUMENT_BYTES,  # an istanza with its three attachments
        _documents(PositionForm) * MAX_DOCUMENT_BYTES,
        settings.PROJECTS_IMPORT_MAX_BYTES,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )
    assert largest_body == 30 * MIB
    assert largest_body < proxy_limit <= largest_body + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
