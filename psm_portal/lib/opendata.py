"""The catalogue of open datasets on /opendata/: each part of the portal registers its own files.

Apps register from their ``AppConfig.ready()``: a fixed ``Dataset`` (one file, named by its URL) or a
provider of entries that exist once per object (one per questionnaire with public results),
``provider() -> [{"dataset": Dataset, "url": str}]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

LICENCE_NAME = "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.it"


@dataclass(frozen=True)
class Dataset:
    title: str
    description: str
    url_name: str
    media_type: str


class Catalogue:
    def __init__(self):
        self._entries: dict[str, tuple[int, Dataset | Callable[[], list[dict]]]] = {}

    def register(self, dataset: Dataset, *, order: int) -> None:
        self._entries[dataset.url_name] = (order, dataset)

    def register_provider(self, provider: Callable[[], list[dict]], *, order: int) -> None:
        self._entries[f"{provider.__module__}.{provider.__qualname__}"] = (order, provider)

    def available(self) -> list[dict]:
        """The datasets whose part of the portal exists, in order, with their download address."""
        found = []
        for _order, entry in sorted(self._entries.values(), key=lambda item: item[0]):
            if callable(entry):
                found.extend(entry())
                continue
            try:
                found.append({"dataset": entry, "url": reverse(entry.url_name)})
            except NoReverseMatch:
                continue
        return found


catalogue = Catalogue()
