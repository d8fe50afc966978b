"""Pages that other parts of the portal add sections to: a registry per page.

A lower app owns a page (the comune's page, an objective's page) and never imports the apps above
it; each of those registers its sections from its ``AppConfig.ready()``. A section is a function of
the page's object, the request and nothing else, returning a dict with ``template`` (included in the
page) and whatever that template needs, or None to leave it out. Keep each section's queries constant
in number: the pages' query counts are asserted.
"""

from __future__ import annotations

from collections.abc import Callable

Section = Callable[..., dict | None]


class SectionRegistry:
    def __init__(self, page: str):
        self.page = page
        self._sections: dict[str, tuple[int, Section]] = {}

    def __repr__(self) -> str:
        return f"<SectionRegistry {self.page}: {len(self._sections)} sections>"

    def register(self, section: Section, *, order: int) -> None:
        """Add ``section`` to the page at position ``order`` (registering it again replaces it)."""
        self._sections[f"{section.__module__}.{section.__qualname__}"] = (order, section)

    def sections(self) -> list[Section]:
        return [section for _order, section in sorted(self._sections.values(), key=lambda entry: entry[0])]

    def collect(self, *args) -> list[dict]:
        """Every section's data for the page, in order, leaving out those with nothing to show."""
        return [data for section in self.sections() if (data := section(*args))]
