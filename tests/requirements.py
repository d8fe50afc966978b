"""Reading the requirement files: the packages a ``.in`` file names, the versions a compiled ``.txt`` pins."""

from __future__ import annotations

import re
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# Every virtual environment has these, whatever the requirement files say.
INSTALLERS = {"pip", "setuptools", "wheel"}


def sources(name: str) -> set[str]:
    """The packages a ``.in`` file names itself (not its ``-r``/``-c`` includes)."""
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / name).read_text().splitlines())
    return {canonicalize_name(Requirement(line).name) for line in lines if line and not line.startswith("-")}


def pins(name: str) -> dict[str, str]:
    """Package → version pinned by a compiled ``.txt`` file."""
    text = (ROOT / name).read_text()
    return {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.MULTILINE)}


def development_only_modules() -> set[str]:
    """The top-level modules installed here only by requirements-dev.txt (factory, faker, pytest, …)."""
    development = pins("requirements-dev.txt").keys() - pins("requirements.txt").keys() - INSTALLERS
    return {
        module
        for module, distributions in packages_distributions().items()
        if {canonicalize_name(d) for d in distributions} <= development
    }
