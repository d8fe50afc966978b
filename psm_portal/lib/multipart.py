"""A multipart body that did not arrive whole is refused before any view reads it.

Django parses a ``multipart/form-data`` body as far as it goes: when its closing delimiter is missing, the
fields read so far are kept and a file cut short is dropped, so a view would save an istanza without the
document its author attached. And a body that cannot be read to its end (the client went away) raises
``UnreadablePostError``, a 500. This middleware parses the body first, watching the bytes go by for the
closing delimiter (``--<boundary>--``), and answers 400 when it never came or the body could not be read.
It stands before ``CsrfViewMiddleware``, which parses the body at the same point anyway.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, QueryDict, UnreadablePostError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _


class _CloseWatcher:
    """A stream that reports whether the closing delimiter went through it."""

    def __init__(self, stream, boundary: bytes):
        self._stream = stream
        self._delimiter = b"--" + boundary + b"--"
        self._tail = b""
        self.closed = False

    def _watch(self, data: bytes) -> bytes:
        if not self.closed and data:
            window = self._tail + data
            self.closed = self._delimiter in window
            self._tail = window[-(len(self._delimiter) - 1) :]
        return data

    def read(self, *args, **kwargs) -> bytes:
        return self._watch(self._stream.read(*args, **kwargs))

    def readline(self, *args, **kwargs) -> bytes:
        return self._watch(self._stream.readline(*args, **kwargs))


class CompleteMultipartMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            boundary = request.content_params.get("boundary", "")
            stream = getattr(request, "_stream", None)
            if boundary and stream is not None:
                watcher = _CloseWatcher(stream, boundary.encode("ascii", "replace"))
                request._stream = watcher
                try:
                    request.POST  # noqa: B018 - parsing now, while the watcher sees the bytes
                except UnreadablePostError:
                    return self._refuse(request)
                if not watcher.closed:
                    return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request) -> HttpResponseBadRequest:
        request._post, request._files = QueryDict(), MultiValueDict()  # nothing half-read reaches a view
        return HttpResponseBadRequest(
            _("Il modulo non è arrivato completo: ricarica la pagina e invialo di nuovo."),
            content_type="text/plain; charset=utf-8",
        )
