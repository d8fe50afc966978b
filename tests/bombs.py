"""Hostile files built in memory, for the tests and for ``bench/uploads.py``: zip bombs shaped as ODT, DOCX
and XLSX, and the spreadsheet whose declared dimension is the whole sheet.

A zip bomb is built without compressing its gigabytes: deflated with a full flush every MiB, each MiB of
zeros compresses to the same bytes, so the stream is one block repeated (about 1 KB per MiB).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

MIB = 1024 * 1024
GIB = 1024 * MIB
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@cache
def _fill_block(fill: bytes) -> bytes:
    """Raw deflate of one MiB of ``fill`` after a full flush: the same bytes for every following MiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(fill * MIB)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(fill * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(fill * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    return block


@cache
def _fill_crc(crc: int, fill: bytes, mebibytes: int) -> int:
    """The CRC-32 of what ``crc`` covered followed by ``mebibytes`` MiB of ``fill``."""
    chunk = fill * MIB
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return crc


def deflated_entry(prefix: bytes, mebibytes: int, fill: bytes = b"\0") -> tuple[bytes, int, int]:
    """``prefix`` followed by ``mebibytes`` MiB of ``fill``: (raw deflate stream, CRC-32, uncompressed size)."""
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty final block ends the stream
    crc = _fill_crc(zlib.crc32(prefix), fill, mebibytes)
    return stream + _fill_block(fill) * mebibytes + end, crc, len(prefix) + mebibytes * MIB


def raw_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip from entries already compressed: (name, method, data, crc, uncompressed size), no zip64."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, method, data, crc, size in entries:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        )
        out.write(encoded)
        out.write(data)
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(encoded)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    count = min(len(entries), 0xFFFF)  # more would need zip64; readers go by the directory's size anyway
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def _stored(name: str, data: bytes) -> tuple[str, int, bytes, int, int]:
    return name, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data)


def _bomb(name: str, prefix: bytes, mebibytes: int, fill: bytes = b"\0") -> tuple[str, int, bytes, int, int]:
    data, crc, size = deflated_entry(prefix, mebibytes, fill)
    return name, zipfile.ZIP_DEFLATED, data, crc, size


def odt_bomb(mebibytes: int = 1024, extra_gib: int = 0) -> bytes:
    """An ODT whose ``mimetype`` entry unpacks to ``mebibytes`` MiB (about 1 KB per MiB on the wire);
    ``extra_gib`` more entries of 1 GiB each make it bigger on the wire (10 MB ≈ 10 GiB unpacked)."""
    entries = [_bomb("mimetype", ODT_MIMETYPE, mebibytes)]
    entries += [_bomb(f"Pictures/{n}.png", b"", 1024) for n in range(extra_gib)]
    entries.append(_stored("content.xml", b"<office:document-content/>"))
    return raw_zip(entries)


def docx_bomb(mebibytes: int = 1024, extra_gib: int = 0) -> bytes:
    """A DOCX whose ``word/document.xml`` unpacks to ``mebibytes`` MiB."""
    entries = [_stored("[Content_Types].xml", b"<Types/>"), _bomb("word/document.xml", b"<w:document>", mebibytes)]
    entries += [_bomb(f"word/media/{n}.png", b"", 1024) for n in range(extra_gib)]
    return raw_zip(entries)


SHEET_START = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
)


def xlsx_zip_bomb(mebibytes: int = 1024) -> bytes:
    """A real workbook whose sheet unpacks to ``mebibytes`` MiB: one cell holding a text of that size."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["CUP", "Titolo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    entries = []
    for info in source.infolist():
        if info.filename == "xl/worksheets/sheet1.xml":
            entries.append(_bomb(info.filename, SHEET_START, mebibytes, b"A"))
        else:
            entries.append(_stored(info.filename, source.read(info)))
    return raw_zip(entries)


def sheet_bomb(last: str = "XFD1048576") -> bytes:
    """A workbook of a few KB with cells at A1 and at ``last``: its declared dimension is ``A1:<last>``."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Titolo"
    sheet[last] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def many_entries_zip(count: int = 100_000) -> bytes:
    """A zip with ``count`` empty entries (a central directory of megabytes)."""
    return raw_zip([_stored(f"{n}", b"") for n in range(count)])
