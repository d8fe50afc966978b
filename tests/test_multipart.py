"""A multipart body that did not arrive whole (no closing delimiter, or unreadable) is refused with a 400 before
any view reads it: nothing is saved from it."""

from __future__ import annotations

import pytest
from django.http import UnreadablePostError
from django.test import RequestFactory

from phases.models import Need, NeedAttachment
from psm_portal.lib.multipart import CompleteMultipartMiddleware
from tests.files import PDF_BYTES
from tests.phases.conftest import listening_now  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("listening_now")]

NEW_NEED = "/area-riservata/istanze/nuova/"  # in Italian, whatever language an earlier test left active
BOUNDARY = "confine"
TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def body(*, close: bool = True, epilogue: bytes = b"") -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nStrada franata\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="description"\r\n\r\nUrgente.\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="theme"\r\n\r\nmobility\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachment_1"; filename="nota.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n",
    ]
    data = "".join(parts).encode() + PDF_BYTES + b"\r\n"
    return data + (f"--{BOUNDARY}--\r\n".encode() + epilogue if close else b"")


def test_a_whole_body_is_read_as_usual(login, mayor_a):
    reply = login(mayor_a).generic("POST", NEW_NEED, body(), content_type=TYPE)
    assert reply.status_code == 302
    assert Need.objects.count() == 1 and NeedAttachment.objects.count() == 1


def test_a_body_with_an_epilogue_after_its_end_is_read_as_usual(login, mayor_a):
    data = body(epilogue=b"\r\n\r\n")
    reply = login(mayor_a).generic("POST", NEW_NEED, data, content_type=TYPE)
    assert reply.status_code == 302 and NeedAttachment.objects.count() == 1


@pytest.mark.parametrize("cut", [0, 10, 30])
def test_a_body_without_its_closing_delimiter_is_refused_and_nothing_is_saved(cut, login, mayor_a):
    data = body(close=False)
    data = data[: len(data) - cut]
    reply = login(mayor_a).generic("POST", NEW_NEED, data, content_type=TYPE)
    assert reply.status_code == 400
    assert reply.content.decode() == "Il modulo non è arrivato completo: ricarica la pagina e invialo di nuovo."
    assert not Need.objects.exists() and not NeedAttachment.objects.exists()


def test_a_body_that_cannot_be_read_is_a_400_not_a_500():
    class Broken:
        def read(self, *args):
            raise UnreadablePostError("connessione chiusa")

        readline = read

    request = RequestFactory().generic("POST", "/", body(), content_type=TYPE)
    request._stream = Broken()
    reply = CompleteMultipartMiddleware(lambda request: pytest.fail("the view must not run"))(request)
    assert reply.status_code == 400
