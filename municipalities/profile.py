"""The sections of a comune's page, each contributed by the part of the portal that owns the data.

The comuni are reference data near the bottom of the portal: they never import the apps above them.
Each of those apps registers its sections from its ``AppConfig.ready()`` with ``register_section``.

A section is a function ``(municipality, user) -> dict | None``; the dict holds ``template`` (included
in the page) and whatever that template needs; None leaves the section out. Keep each section's
queries constant in number: the page's query count is asserted.
"""

from __future__ import annotations

from collections.abc import Callable

Section = Callable[[object, object], dict | None]

# (order, dotted name, section): sections print in ``order``.
_SECTIONS: dict[str, tuple[int, Section]] = {}


def register_section(section: Section, *, order: int) -> None:
    """Add ``section`` to every comune's page at position ``order`` (registering it again replaces it)."""
    _SECTIONS[f"{section.__module__}.{section.__qualname__}"] = (order, section)


def registered_sections() -> list[Section]:
    return [section for _order, section in sorted(_SECTIONS.values(), key=lambda entry: entry[0])]


def profile_sections(municipality, user) -> list[dict]:
    sections = []
    for section in registered_sections():
        data = section(municipality, user)
        if data:
            sections.append(data)
    return sections
