"""``/piano/verifica/``: anybody checks a copy of a plan document by uploading it or pasting its SHA-256.

The documents are laid out by the lifecycle tests' stub renderer: a real (tiny) PDF stored and hashed by the
same service as WeasyPrint's, which is what the check reads."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plan.models import PlanStatus
from plan.services import plan_publish, plan_render, plan_request
from psm_portal.lib.uploads import MAX_DOCUMENT_BYTES
from tests.conftest import CAST

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stub_renderer")]

URL = "/piano/verifica/"


def _rendered(kind: str, *, user, publish: bool):
    document, _created = plan_request(kind=kind, user=user, enqueue=False)
    document = plan_render(document_id=document.pk)
    assert document.status == PlanStatus.READY
    if publish:
        document = plan_publish(document=document, user=user)
    with default_storage.open(document.file.name, "rb") as handle:
        return document, handle.read()


@pytest.fixture
def published(team_user, media):
    """A published preliminary proposal (the final plan is published by the deliberation that approves it:
    ``test_public_act``)."""
    return _rendered("draft", user=team_user, publish=True)


def _upload(data: bytes, name: str = "piano.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _page(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("name", CAST)
def test_everyone_verifies_the_published_pdf(name, cast, login, published):
    document, data = published
    client = login(cast(name))
    assert "Verifica una copia del piano" in _page(client.get(URL))
    html = _page(client.post(URL, {"file": _upload(data)}))
    assert "Documento pubblicato dal portale" in html
    date = document.published_at.astimezone().strftime("%d/%m/%Y")
    assert f"È la versione {document.version} del piano (Proposta preliminare di piano), pubblicata il {date}." in html
    assert document.sha256 == hashlib.sha256(data).hexdigest() in html
    assert reverse("plan:download", args=[document.pk]) in html


def test_a_copy_with_one_byte_changed_is_not_recognised(client, published):
    _document, data = published
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    html = _page(client.post(URL, {"file": _upload(bytes(changed))}))
    assert "Non è un documento pubblicato dal portale." in html
    assert hashlib.sha256(bytes(changed)).hexdigest() in html
    assert "Documento pubblicato dal portale" not in html


def test_a_random_file_is_not_recognised(client, published):
    html = _page(client.post(URL, {"file": _upload(os.urandom(4096), "foto.jpg")}))
    assert "Non è un documento pubblicato dal portale." in html


def test_a_pasted_sha256_is_recognised_however_it_was_copied(client, published):
    document, _data = published
    for pasted in (
        document.sha256,
        document.sha256.upper(),
        f"  {document.sha256}\n",
        f"{document.sha256}  psm-messina-piano-finale-v1.pdf",  # as sha256sum prints it
        f"SHA-256: {document.sha256}",
        " ".join(document.sha256[i : i + 8] for i in range(0, 64, 8)),
    ):
        html = _page(client.post(URL, {"sha256": pasted}))
        assert "Documento pubblicato dal portale" in html, pasted
    # From a link: GET ?sha256=
    assert "Documento pubblicato dal portale" in _page(client.get(URL, {"sha256": document.sha256}))


def test_an_unpublished_version_is_not_a_published_document(client, team_user, media):
    document, data = _rendered("final", user=team_user, publish=False)
    assert "Non è un documento pubblicato dal portale." in _page(client.post(URL, {"file": _upload(data)}))
    assert "Non è un documento pubblicato dal portale." in _page(client.post(URL, {"sha256": document.sha256}))


def test_the_file_and_the_pasted_sha256_must_agree(client, published):
    document, data = published
    html = _page(client.post(URL, {"file": _upload(data), "sha256": document.sha256}))
    assert "Documento pubblicato dal portale" in html
    html = _page(client.post(URL, {"file": _upload(data), "sha256": "0" * 64}))
    assert "Il file caricato non corrisponde all&#x27;impronta inserita" in html
    assert "Documento non riconosciuto" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sha256": "z" * 64}, "L&#x27;impronta può contenere solo cifre da 0 a 9 e lettere da a a f."),
        ({"sha256": "ab" * 20}, "L&#x27;impronta SHA-256 è lunga 64 caratteri: ne hai inseriti 40."),
        ({"sha256": "a"}, "L&#x27;impronta SHA-256 è lunga 64 caratteri: ne hai inserito 1."),
        ({"sha256": "a" * 201}, "L&#x27;impronta SHA-256 è lunga 64 caratteri."),
        ({"sha256": "ab\x00cd"}, "caratteri null"),
        ({}, "Carica il PDF da verificare oppure incolla la sua impronta SHA-256."),
        ({"sha256": "   "}, "Carica il PDF da verificare oppure incolla la sua impronta SHA-256."),
        ({"file": SimpleUploadedFile("vuoto.pdf", b"")}, "Il file è vuoto."),
    ],
)
def test_bad_input_gets_an_italian_message(client, data, message):
    html = _page(client.post(URL, data))
    assert message in html
    assert 'role="status"' not in html  # no verdict


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, monkeypatch):
    huge = SimpleUploadedFile("enorme.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)
    read = []
    original = SimpleUploadedFile.chunks
    monkeypatch.setattr(SimpleUploadedFile, "chunks", lambda self, size=None: read.append(1) or original(self, size))
    html = _page(client.post(URL, {"file": huge}))
    assert "Il file supera i 10 MB consentiti." in html
    assert not read


def test_the_bytes_read_are_bounded_whatever_size_the_upload_declares():
    from psm_portal.lib.uploads import bounded_sha256

    upload = SimpleUploadedFile("piano.pdf", b"x" * 100)
    upload.size = 10  # a handler that under-reports: the read stops at the limit all the same
    with pytest.raises(Exception, match="supera"):
        bounded_sha256(upload, limit=50)
    assert bounded_sha256(SimpleUploadedFile("piano.pdf", b"x" * 50), limit=50) == hashlib.sha256(b"x" * 50).hexdigest()


def test_the_page_is_in_english_under_en(client, published):
    document, _data = published
    html = _page(client.get("/en/piano/verifica/"))
    assert '<html lang="en"' in html
    assert "Check a copy of the plan" in html
    html = _page(client.post("/en/piano/verifica/", {"sha256": document.sha256}))
    assert "Published by the portal" in html
    assert _page(client.post("/en/piano/verifica/", {"sha256": "z"}))


def test_other_methods_are_refused(client):
    assert client.put(URL).status_code == 405
