"""The pinned requirements: the runtime set holds no test tool, and both files agree with their sources."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _sources(name: str) -> set[str]:
    """The packages a ``.in`` file names itself (not its ``-r``/``-c`` includes)."""
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / name).read_text().splitlines())
    return {canonicalize_name(Requirement(line).name) for line in lines if line and not line.startswith("-")}


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.MULTILINE)}


def test_the_runtime_lock_pins_every_runtime_package_and_no_test_tool():
    runtime = _pins("requirements.txt")
    assert _sources("requirements.in") <= runtime.keys()
    assert not _sources("requirements-dev.in") & runtime.keys()
    assert {"pytest", "factory-boy", "faker", "playwright", "ruff"}.isdisjoint(runtime)


def test_the_development_lock_pins_the_runtime_packages_at_the_same_versions():
    runtime, development = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert {name: development.get(name) for name in runtime} == runtime
    assert _sources("requirements-dev.in") <= development.keys()


def test_every_pin_carries_its_hashes():
    for name in ("requirements.txt", "requirements-dev.txt"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / name).read_text())
        pinned = [entry for entry in entries if "==" in entry.split("\n", 1)[0]]
        assert pinned and all("--hash=sha256:" in entry for entry in pinned), name
