"""Uploaded documents: checked by their content, stored under names of ours, served only through views.

Mayors, offices and later every other part of the portal attach PDF, ODT or DOCX files of at most 10 MB.

The file name and the browser's content type are never trusted: a PDF starts with ``%PDF-``; an ODT is a
zip whose first entry ``mimetype`` says so; a DOCX is a zip with ``[Content_Types].xml`` and a Word body.
A zip is opened only once its declared sizes are within bounds (``psm_portal.lib.zips``), and only the
39 bytes of ``mimetype`` are ever decompressed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from psm_portal.lib import zips

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN = "word/document.xml"


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str


PDF = DocumentKind(".pdf", "application/pdf")
ODT = DocumentKind(".odt", ODT_MIMETYPE.decode())
DOCX = DocumentKind(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
KINDS_BY_EXTENSION = {kind.extension: kind for kind in (PDF, ODT, DOCX)}


def _zip_kind(upload) -> DocumentKind | None:
    """ODT or DOCX by the archive's entries; ``ValidationError`` when its declared sizes are not bounded."""
    upload.seek(0)
    try:
        with zips.open_checked(upload) as archive:
            names = set(archive.namelist())
            mimetype = zips.read_entry(archive, "mimetype", len(ODT_MIMETYPE) + 2) if "mimetype" in names else None
            if mimetype is not None and mimetype.strip() == ODT_MIMETYPE:
                return ODT
            if "[Content_Types].xml" in names and DOCX_MAIN in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


PDF_END = b"%%EOF"
PDF_END_WINDOW = 1024  # readers look for the end marker in the last KiB, as Acrobat does


def _check_pdf_end(upload) -> None:
    """A PDF ends with ``%%EOF``: one without it was cut short (an interrupted upload or download)."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - PDF_END_WINDOW))
    tail = upload.read()
    upload.seek(0)
    if PDF_END not in tail:
        raise ValidationError(
            _("Il PDF è incompleto (manca la sua parte finale): scaricalo o salvalo di nuovo e ricaricalo."),
            code="truncated",
        )


def detect_document(upload) -> DocumentKind | None:
    """The kind of document the bytes prove, or None; ``ValidationError`` for a zip too big once unpacked
    or a PDF cut short."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        _check_pdf_end(upload)
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def validate_document(upload) -> DocumentKind:
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Il documento supera i 10 MB consentiti."), code="too_large")
    if upload.size == 0:
        raise ValidationError(_("Il documento è vuoto."), code="empty")
    kind = detect_document(upload)
    if kind is None:
        raise ValidationError(
            _("Il documento deve essere un PDF, un ODT o un DOCX: il contenuto del file non corrisponde."),
            code="bad_type",
        )
    return kind


class DocumentField(forms.FileField):
    """A file field that accepts only real PDF, ODT and DOCX files up to 10 MB."""

    default_help_text = _("PDF, ODT o DOCX, al massimo 10 MB.")

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.odt,.docx")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size") and upload is not initial:
            kind = validate_document(upload)
            upload.document_kind = kind
        return upload


HASH_CHUNK_BYTES = 64 * 1024


def bounded_sha256(upload, *, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """The SHA-256 of an uploaded file, read in chunks and never past ``limit`` bytes (the declared size is
    checked first, the bytes actually read too); ``ValidationError`` for an empty or too large file."""
    too_large = ValidationError(
        _("Il file supera i %(mb)s MB consentiti.") % {"mb": limit // (1024 * 1024)}, code="too_large"
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    digest = hashlib.sha256()
    read = 0
    upload.seek(0)
    for chunk in upload.chunks(HASH_CHUNK_BYTES):
        read += len(chunk)
        if read > limit:
            raise too_large
        digest.update(chunk)
    upload.seek(0)
    if read == 0:
        raise ValidationError(_("Il file è vuoto."), code="empty")
    return digest.hexdigest()


def stored_name(upload) -> str:
    """A file name for storage with the extension the content proved."""
    kind = getattr(upload, "document_kind", None) or validate_document(upload)
    return f"documento{kind.extension}"


def content_type_for(name: str) -> str:
    for kind in (*KINDS_BY_EXTENSION.values(), *IMAGE_KINDS.values()):
        if name.lower().endswith(kind.extension):
            return kind.content_type
    return "application/octet-stream"


def private_upload_path(folder: str, filename: str) -> str:
    """``private/<folder>/<random>.<ext>``: the name is ours, never the uploader's; the extension is the proved one."""
    return f"private/{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


_UNSAFE_IN_NAME = re.compile(r"[^\w .'()+,-]+")
MAX_STEM_CHARS = 100


def download_name(uploaded: str, stored: str) -> str:
    """The name a download is offered under: the uploader's stem, cleaned, and the extension of the stored
    file, which is the one the content proved (``evil.hta`` recognised as a PDF downloads as ``evil.pdf``)."""
    base = re.split(r"[/\\]", uploaded or "")[-1]
    stem = Path(base).stem if Path(base).suffix else base
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE_IN_NAME.sub("_", stem).strip(" ._")[:MAX_STEM_CHARS].strip(" ._")
    return f"{stem or 'documento'}{Path(stored).suffix.lower()}"


def serve_private_file(field_file, filename: str) -> FileResponse:
    """A stored document as a download under the uploader's name with the proved extension
    (``download_name``): never sniffed, never kept by a shared cache."""
    handle = field_file.storage.open(field_file.name, "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(filename, field_file.name),
        content_type=content_type_for(field_file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Images --------------------------------------------------------------------------------------------------------
# A news item's picture: JPEG, PNG or WebP by its content, at most 5 MB and 40 megapixels. The size is checked
# before a byte is read, the pixels from the header before anything is decoded (a small file can unpack huge).

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_KINDS = {
    "JPEG": DocumentKind(".jpg", "image/jpeg"),
    "PNG": DocumentKind(".png", "image/png"),
    "WEBP": DocumentKind(".webp", "image/webp"),
}


def validate_image(upload) -> DocumentKind:
    """The kind of image the bytes prove; ``ValidationError`` in Italian otherwise."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("L'immagine supera i 5 MB consentiti."), code="too_large")
    if not upload.size:
        raise ValidationError(_("L'immagine è vuota."), code="empty")
    bad = ValidationError(_("L'immagine deve essere un JPEG, un PNG o un WebP valido."), code="bad_type")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = IMAGE_KINDS.get(image.format or "")
            if kind is None:
                raise bad
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("L'immagine è troppo grande (al massimo 40 megapixel)."), code="too_large")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise bad from error
    finally:
        upload.seek(0)
    return kind


class ImageField(forms.FileField):
    """A file field that accepts only real JPEG, PNG and WebP images up to 5 MB."""

    default_help_text = _("JPEG, PNG o WebP, al massimo 5 MB.")

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size") and upload is not initial:
            upload.document_kind = validate_image(upload)
        return upload
