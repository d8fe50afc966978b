"""The pinned requirements: the runtime set holds no test tool, and both files agree with their sources."""

from __future__ import annotations

import re

from tests.requirements import ROOT, pins, sources


def test_the_runtime_lock_pins_every_runtime_package_and_no_test_tool():
    runtime = pins("requirements.txt")
    assert sources("requirements.in") <= runtime.keys()
    assert not sources("requirements-dev.in") & runtime.keys()
    assert {"pytest", "factory-boy", "faker", "playwright", "ruff"}.isdisjoint(runtime)


def test_the_development_lock_pins_the_runtime_packages_at_the_same_versions():
    runtime, development = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: development.get(name) for name in runtime} == runtime
    assert sources("requirements-dev.in") <= development.keys()


def test_every_pin_carries_its_hashes():
    for name in ("requirements.txt", "requirements-dev.txt"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / name).read_text())
        pinned = [entry for entry in entries if "==" in entry.split("\n", 1)[0]]
        assert pinned and all("--hash=sha256:" in entry for entry in pinned), name
