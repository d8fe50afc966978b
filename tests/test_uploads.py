"""Uploaded documents: a zip-based file (ODT, DOCX) is refused from its declared sizes, before anything is
decompressed, in a fraction of a second and a few MB; downloads carry the extension the content proved."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from psm_portal.lib import zips
from psm_portal.lib.uploads import DOCX, ODT, PDF, download_name, validate_document
from tests import bombs
from tests.files import PDF_BYTES, docx, odt, pdf


def upload(data: bytes, name: str = "documento.odt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(data: bytes, name: str = "documento.odt") -> tuple[ValidationError, int]:
    """The error of validating ``data`` and the peak of Python memory (bytes) it took. Memory, not seconds: a
    bound on work that holds on a loaded machine (bench/uploads.py prints the times)."""
    document = upload(data, name)
    tracemalloc.start()
    try:
        with translation.override("it"), pytest.raises(ValidationError) as caught:
            validate_document(document)
        return caught.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "build,name",
    [
        (lambda: bombs.odt_bomb(1024), "bomba.odt"),
        (lambda: bombs.docx_bomb(1024), "bomba.docx"),
        (lambda: bombs.odt_bomb(300), "bomba-piccola.odt"),
    ],
    ids=["odt-mimetype-1GiB", "docx-body-1GiB", "odt-300MiB"],
)
def test_a_zip_bomb_is_refused_from_its_declared_size_in_a_few_mb(build, name):
    error, peak = refusal(build(), name)
    assert error.code == "zip_too_large"
    assert "decompresso" in error.messages[0]
    assert peak < 4 * 1024 * 1024


def test_a_bomb_just_under_the_ten_megabyte_limit_is_refused_too():
    data = bombs.odt_bomb(1024, extra_gib=8)  # 9 GiB unpacked
    assert 9_000_000 < len(data) < 10 * 1024 * 1024
    error, peak = refusal(data)
    assert error.code == "zip_too_large" and peak < 4 * 1024 * 1024


def test_an_entry_compressed_a_thousand_times_is_refused_even_under_the_total_cap():
    data = bombs.odt_bomb(100)  # 100 MiB from 100 KB: under the total, but no document compresses like that
    error, _peak = refusal(data)
    assert error.code == "zip_ratio"


def test_a_central_directory_of_a_hundred_thousand_entries_is_refused_before_it_is_parsed():
    data = bombs.many_entries_zip(100_000)
    error, peak = refusal(data)
    assert error.code == "zip_entries"
    assert peak < 4 * 1024 * 1024


def test_an_odt_with_a_huge_mimetype_is_not_read_beyond_a_few_bytes():
    """The ``mimetype`` entry of an ODT is 39 bytes: one of 1 MiB is not an ODT, and is never read whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", bombs.ODT_MIMETYPE + random.Random(12).randbytes(1024 * 1024))
        archive.writestr("content.xml", "<office:document-content/>")
    error, peak = refusal(buffer.getvalue())
    assert error.code == "bad_type"
    assert peak < 512 * 1024


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_compression_methods_no_office_suite_writes_are_refused(method):
    """bzip2 and LZMA expand without a bound on each read (zipfile caps only deflate's output)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("mimetype", bombs.ODT_MIMETYPE)
        archive.writestr("content.xml", "<office:document-content/>")
    error, _peak = refusal(buffer.getvalue())
    assert error.code == "zip_method"


def test_a_lying_end_record_does_not_hide_a_long_central_directory():
    """The end record says 1 entry; the directory holds 100,000: its size in bytes is bounded too."""
    data = bytearray(bombs.many_entries_zip(100_000))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2
    error, peak = refusal(bytes(data))
    assert error.code == "zip_entries" and peak < 4 * 1024 * 1024


@pytest.mark.parametrize("cut", [10, 200, 2000])
def test_a_pdf_cut_short_is_refused_as_incomplete(cut):
    data = b"%PDF-1.7\n" + random.Random(3).randbytes(5000) + b"\ntrailer<<>>\n%%EOF\n"
    assert validate_document(upload(data, "intero.pdf")) == PDF
    document = upload(data[:-cut], "relazione.pdf")
    with translation.override("it"), pytest.raises(ValidationError) as caught:
        validate_document(document)
    assert caught.value.code == "truncated"
    assert caught.value.messages == [
        "Il PDF è incompleto (manca la sua parte finale): scaricalo o salvalo di nuovo e ricaricalo."
    ]


def test_a_pdf_with_a_little_after_its_end_marker_is_accepted():
    assert validate_document(upload(PDF_BYTES + b"\0" * 500 + b"\r\n", "relazione.pdf")) == PDF


@pytest.mark.parametrize("build,kind", [(pdf, PDF), (odt, ODT), (docx, DOCX)], ids=["pdf", "odt", "docx"])
def test_real_documents_are_still_accepted(build, kind):
    assert validate_document(build()) == kind


def test_a_real_odt_written_by_zipfile_with_deflate_is_accepted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", bombs.ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content>" + "<text:p>Testo</text:p>" * 20_000 + "</x>")
        for n in range(50):
            archive.writestr(f"Pictures/{n}.png", bytes(range(256)) * 400)
    assert validate_document(upload(buffer.getvalue())) == ODT


def test_a_zip64_directory_is_read_for_its_real_number_of_entries():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(70_000):  # over 65,535: zipfile writes the zip64 end record
            archive.writestr(str(n), b"")
    error, _peak = refusal(buffer.getvalue())
    assert error.code == "zip_entries"


def test_the_limits_are_those_documented():
    assert zips.MAX_ENTRIES == 1000
    assert zips.MAX_UNCOMPRESSED_BYTES == 200 * 1024 * 1024
    assert zips.MAX_RATIO == 100


# --- Downloaded names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "uploaded,stored,expected",
    [
        ("evil.hta", "private/positions/0a1b.pdf", "evil.pdf"),
        ("relazione.PDF", "private/positions/0a1b.pdf", "relazione.pdf"),
        ("relazione.pdf.exe", "private/needs/0a1b.docx", "relazione.pdf.docx"),
        ("../../etc/passwd", "private/needs/0a1b.odt", "passwd.odt"),
        ("C:\\Users\\sindaco\\nota.hta", "private/needs/0a1b.pdf", "nota.pdf"),
        ('na"me;\r\n.hta', "private/needs/0a1b.pdf", "na_me.pdf"),
        ("nul\x00.pdf", "private/needs/0a1b.pdf", "nul.pdf"),
        ("", "private/needs/0a1b.pdf", "documento.pdf"),
        ("...", "private/needs/0a1b.pdf", "documento.pdf"),
        (".htaccess", "private/needs/0a1b.pdf", "htaccess.pdf"),
        ("Relazione dell'ufficio (2).docx", "private/needs/0a1b.docx", "Relazione dell'ufficio (2).docx"),
        ("Relazione è più.odt", "private/needs/0a1b.odt", "Relazione è più.odt"),
        ("x" * 300 + ".pdf", "private/needs/0a1b.pdf", "x" * 100 + ".pdf"),
    ],
)
def test_the_download_name_is_the_stem_with_the_proved_extension(uploaded, stored, expected):
    assert download_name(uploaded, stored) == expected
