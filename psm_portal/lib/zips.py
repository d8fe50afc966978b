"""Zip-based files (ODT, DOCX, XLSX) opened only once their declared sizes are known to be small.

A zip says in its central directory how many entries it holds and how big each one unpacks. Python's
``zipfile`` never returns more than an entry's declared size (it stops there and checks the CRC), so
checking the declared sizes before anything is decompressed bounds every later read, ours and
openpyxl's. What is checked, in this order:

1. the end record, read from the last 64 KiB: the number of entries and the central directory's size in
   bytes, before ``zipfile`` parses the directory (a 10 MB directory would be 200,000 entries);
2. each entry: compressed with deflate or stored (bzip2 and LZMA are decompressed without a cap on each
   read), compressed at most ``MAX_RATIO`` times when over 1 MiB (deflate gives ~1,000 on a bomb, office
   files 5–20), and the total declared size at most ``MAX_UNCOMPRESSED_BYTES``.

A refused file raises ``ValidationError`` with an Italian message; a file that is not a zip at all raises
``zipfile.BadZipFile``, which the caller turns into its own message ("not a document", "not a spreadsheet").
"""

from __future__ import annotations

import struct
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from psm_portal.lib.money import format_number

MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # smaller entries may compress as they like: they cannot hurt
# A central directory entry is 46 bytes plus its name and extra fields: 1 KiB each is generous.
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024
ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_END_SEARCH = _END_RECORD.size + 0xFFFF  # the record, then a comment of at most 64 KiB
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_RECORD = struct.Struct("<4sQ2H2L4Q")


def _too_many() -> ValidationError:
    return ValidationError(
        _(
            "Il file contiene troppi elementi interni (più di %(max)s) per essere un documento o un foglio di "
            "calcolo: salvalo di nuovo dal programma con cui l'hai creato."
        )
        % {"max": format_number(MAX_ENTRIES)},
        code="zip_entries",
    )


def _declared_directory(handle: IO[bytes]) -> tuple[int, int]:
    """Entries and central directory bytes as the end record declares them, read from the file's tail."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - _END_SEARCH))
    tail = handle.read()
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        raise zipfile.BadZipFile("no end of central directory record")
    _signature, _disk, _start_disk, _here, entries, directory_bytes, _offset, _comment = _END_RECORD.unpack_from(
        tail, at
    )
    locator = at - _ZIP64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        # zipfile believes the zip64 record over the classic one: so do we.
        _signature, _disk, record_offset, _disks = _ZIP64_LOCATOR.unpack_from(tail, locator)
        handle.seek(record_offset)
        record = handle.read(_ZIP64_RECORD.size)
        if len(record) < _ZIP64_RECORD.size or record[:4] != b"PK\x06\x06":
            raise zipfile.BadZipFile("bad zip64 end record")
        *_fields, entries, directory_bytes, _offset = _ZIP64_RECORD.unpack(record)
    return entries, directory_bytes


def check_declared_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose entries are too many, compressed oddly or too big once unpacked."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _too_many()
    total = 0
    for info in infos:
        if info.compress_type not in ALLOWED_METHODS:
            raise ValidationError(
                _(
                    "Il file usa un tipo di compressione che i programmi per ufficio non usano: salvalo di nuovo "
                    "dal programma con cui l'hai creato."
                ),
                code="zip_method",
            )
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ValidationError(
                _(
                    "Il file, decompresso, supererebbe %(max)s MB: non si può accettare. Salvalo di nuovo dal "
                    "programma con cui l'hai creato, senza immagini troppo grandi."
                )
                % {"max": format_number(MAX_UNCOMPRESSED_BYTES // (1024 * 1024))},
                code="zip_too_large",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ValidationError(
                _(
                    "Il file contiene una parte compressa in modo anomalo (si espande più di %(ratio)s volte): "
                    "non si può accettare."
                )
                % {"ratio": MAX_RATIO},
                code="zip_ratio",
            )


def open_checked(handle: IO[bytes]) -> zipfile.ZipFile:
    """The archive in ``handle`` (a seekable binary file), once its declared sizes are within the limits.

    ``ValidationError`` when they are not; ``zipfile.BadZipFile`` when it is not a zip."""
    entries, directory_bytes = _declared_directory(handle)
    # 0xFFFF in the record means "see the zip64 record": more entries than any document has.
    if entries > MAX_ENTRIES or directory_bytes > MAX_DIRECTORY_BYTES:
        raise _too_many()
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (OSError, ValueError, struct.error, EOFError, NotImplementedError) as error:
        raise zipfile.BadZipFile(str(error)) from error
    try:
        check_declared_sizes(archive)
    except ValidationError:
        archive.close()
        raise
    return archive


def read_entry(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes | None:
    """The entry ``name`` if it exists and declares at most ``max_bytes``; the read is capped as well."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > max_bytes:
        return None
    with archive.open(info) as entry:
        return entry.read(max_bytes)
