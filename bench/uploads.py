"""Benchmark of refusing hostile uploads: zip bombs shaped as documents and workbooks, and the spreadsheet
whose declared dimension is the whole sheet, next to accepting a normal 1 MB document and sheet.

    .venv/bin/python bench/uploads.py

Each case runs in its own process, so its figures are its own: the seconds the check takes and the growth
of the process's resident memory (its peak during the check, VmHWM reset just before it, minus its resident
size then, the file already in memory), then
Python's own peak (tracemalloc) in a second run. Targets: every hostile file refused in under a second and
a few MB (≤ 10 MB of resident memory); the baselines are accepted.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.0
TARGET_MB = 10.0


def _normal_docx() -> bytes:
    """A 1 MB Word file: a body of text and a photo (incompressible bytes, as a JPEG is)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", "<w:document>" + "<w:p>Relazione del comune.</w:p>" * 5000 + "</w:document>"
        )
        archive.writestr("word/media/image1.jpeg", random.Random(1).randbytes(1_000_000), zipfile.ZIP_STORED)
    return buffer.getvalue()


def _normal_xlsx() -> bytes:
    """A 1 MB workbook in our template's shape: projects with Italian numbers and dates."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["CUP", "Codice locale", "Titolo", "Stato", "Codici ISTAT dei comuni", "Costo totale", "Inizio previsto"]
    )
    rng = random.Random(2)
    rows = 0
    while True:
        for _ in range(1000):
            rows += 1
            sheet.append(
                [
                    f"B{rng.randrange(10**14):014d}",
                    f"LOC-{rows}",
                    f"Strada provinciale {rng.randrange(1, 300)}, lotto {rows} — {rng.randbytes(6).hex()}",
                    rng.choice(["programmato", "finanziato", "in corso"]),
                    f"083{rng.randrange(1, 108):03d}",
                    f"{rng.randrange(10**7):,}".replace(",", ".") + ",00",
                    f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 12):02d}/2026",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        if len(buffer.getvalue()) >= 1_000_000:
            return buffer.getvalue()


def build_cases(folder: Path) -> list[tuple[str, str, Path]]:
    """(name, kind of check, file) for every case, written to ``folder``."""
    from tests import bombs

    cases = [
        ("documento DOCX normale, 1 MB (riferimento)", "document", _normal_docx()),
        ("ODT: mimetype di 1 GiB", "document", bombs.odt_bomb(1024)),
        ("DOCX: corpo di 1 GiB", "document", bombs.docx_bomb(1024)),
        ("ODT di 10 MB: 9 GiB in tutto", "document", bombs.odt_bomb(1024, extra_gib=8)),
        ("foglio XLSX normale, 1 MB (riferimento)", "sheet", _normal_xlsx()),
        ("XLSX: celle in A1 e XFD5000", "sheet", bombs.sheet_bomb("XFD5000")),
        ("XLSX: celle in A1 e XFD1048576", "sheet", bombs.sheet_bomb("XFD1048576")),
        ("XLSX: foglio di 1 GiB compresso", "sheet", bombs.xlsx_zip_bomb(1024)),
        ("CSV: 3 milioni di righe vuote", "sheet", b"CUP;Titolo\r\n" + b"\r\n" * 3_000_000),
    ]
    written = []
    for number, (name, kind, data) in enumerate(cases):
        path = folder / f"case{number}"
        path.write_bytes(data)
        written.append((name, kind, path))
    return written


def _check(kind: str, data: bytes) -> str:
    """Run the portal's own check; the outcome as a short text."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    if kind == "document":
        from psm_portal.lib.uploads import validate_document

        try:
            return f"accettato ({validate_document(SimpleUploadedFile('x', data)).extension})"
        except ValidationError as error:
            return f"rifiutato: {error.messages[0]}"
    from projects.importer.errors import ImportFileError
    from projects.importer.reading import read_table

    try:
        _header, rows = read_table(data)
        return f"accettato ({len(rows)} righe)"
    except ImportFileError as error:
        return f"rifiutato: {error}"


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> bool:
    """Start the peak of resident memory (VmHWM) afresh from now: Linux resets it on "5" to clear_refs."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def child(kind: str, path: str) -> None:
    """One case in this process: prints its figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("it")
    data = Path(path).read_bytes()
    _check("document", b"%PDF-1.4")  # imports and first-use costs out of the figures
    _check("sheet", b"a;b\r\n1;2\r\n")
    before = _status_kib("VmRSS")
    fresh_peak = _reset_peak()
    started = time.perf_counter()
    outcome = _check(kind, data)
    seconds = time.perf_counter() - started
    # The peak since the reset; without it, ru_maxrss is the peak since the process started (Django's set-up
    # included), so the growth it shows is a lower bound.
    peak = _status_kib("VmHWM") if fresh_peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = max(0, peak - before) / 1024
    tracemalloc.start()
    _check(kind, data)
    traced_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "traced_mb": traced_mb, "outcome": outcome}))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="psm-bench-uploads-") as folder:
        cases = build_cases(Path(folder))
        print(f"{'caso':44} {'file':>9} {'secondi':>8} {'RSS +MB':>8} {'py MB':>7}  esito")
        failures = 0
        for name, kind, path in cases:
            run = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=600,
            )
            if run.returncode != 0:
                print(f"{name:44} errore:\n{run.stderr}")
                failures += 1
                continue
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            baseline = "riferimento" in name
            refused = figures["outcome"].startswith("rifiutato")
            met = (
                (not refused)
                if baseline
                else (refused and figures["seconds"] < TARGET_SECONDS and figures["rss_mb"] <= TARGET_MB)
            )
            failures += not met
            size = path.stat().st_size
            print(
                f"{name:44} {size / 1e6:>7.2f}MB {figures['seconds']:>8.3f} {figures['rss_mb']:>8.1f} "
                f"{figures['traced_mb']:>7.1f}  {'ok' if met else 'NO'} {figures['outcome'][:90]}"
            )
        print(
            f"\nObiettivo: ogni file ostile rifiutato in meno di {TARGET_SECONDS:g} s e {TARGET_MB:g} MB; "
            f"{'raggiunto' if not failures else f'{failures} casi fuori obiettivo'}."
        )
        return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
