"""The portal's search (``/cerca/``): each part of the portal registers the kinds of things it lets people find.

An app registers a ``SearchKind`` from its ``AppConfig.ready()``: the text fields to search, the things a user may
find (a function of the user: drafts never reach the public) and how one result is shown. Registering a new kind is
about ten lines, e.g. in ``projects/apps.py``::

    from psm_portal.lib.search import SearchKind, search_registry

    search_registry.register(
        SearchKind(
            key="progetti",
            label=_("Progetti"),
            fields=("title", "summary", "description", "cup"),
            queryset=lambda user: Project.objects.visible_to(user),
            describe=lambda project: {"title": project.title, "url": project.get_absolute_url(), "text": project.summary},
        ),
        order=30,
    )

On PostgreSQL the words are found by full-text search with the Italian configuration (stems: "progetti" finds
"progetto") on the fields' text with accents removed (``unaccent``, the extension created by
``psm_portal/pages/migrations/0003_unaccent.py``); elsewhere (SQLite, the tests' default) every word must be contained
in the fields' text folded by ``psm_portal.lib.text.fold`` (lower case, no accents), a function registered on the
connection. Either way "citta" finds "Città". Each kind costs two queries (its count and its page), whatever the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, F, Func, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat

from psm_portal.lib.text import fold

MAX_QUERY_LENGTH = 200
MIN_WORD_LENGTH = 2
MAX_WORDS = 10
WORD = re.compile(r"\w+")
SQLITE_FOLD = "psm_fold"


@dataclass(frozen=True)
class SearchKind:
    """One kind of thing people find: ``key`` is its name in the address (``?tipo=progetti``), ``label`` its
    heading, ``fields`` the model's own text fields (no relations: a result is one row), ``queryset(user)`` what
    ``user`` may find, ``describe(obj)`` a dict with ``title``, ``url`` and optionally ``text`` and ``meta`` (read
    only what the queryset loaded: a page of results costs one query)."""

    key: str
    label: str
    fields: tuple[str, ...]
    queryset: Callable[..., QuerySet]
    describe: Callable[[object], dict]


class SearchRegistry:
    def __init__(self):
        self._kinds: dict[str, tuple[int, SearchKind]] = {}

    def register(self, kind: SearchKind, *, order: int) -> None:
        """Add ``kind`` to the results at position ``order`` (registering the same key again replaces it)."""
        self._kinds[kind.key] = (order, kind)

    def kinds(self) -> list[SearchKind]:
        return [kind for _order, kind in sorted(self._kinds.values(), key=lambda entry: entry[0])]

    def get(self, key: str) -> SearchKind | None:
        entry = self._kinds.get(key)
        return entry[1] if entry else None


search_registry = SearchRegistry()


def words(text: str) -> list[str]:
    """The words searched for in ``text``: folded (lower case, no accents), at least two characters, at most ten."""
    found = [word for word in WORD.findall(fold(text)) if len(word) >= MIN_WORD_LENGTH]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def matching(kind: SearchKind, user, terms: list[str]) -> QuerySet:
    """The things of ``kind`` that ``user`` may find containing every one of ``terms``, best first."""
    queryset = kind.queryset(user)
    if connection.vendor == "postgresql":
        return _postgresql(queryset, kind.fields, terms)
    return _folded(queryset, kind.fields, terms)


def _postgresql(queryset: QuerySet, fields: tuple[str, ...], terms: list[str]) -> QuerySet:
    from django.contrib.postgres.lookups import Unaccent  # imports psycopg: only on PostgreSQL
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector(
        *(Unaccent(Coalesce(F(name), Value(""), output_field=TextField())) for name in fields), config="italian"
    )
    query = SearchQuery(" ".join(terms), config="italian", search_type="plain")
    return (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "pk")
    )


class _Fold(Func):
    function = SQLITE_FOLD
    output_field = TextField()


def _folded(queryset: QuerySet, fields: tuple[str, ...], terms: list[str]) -> QuerySet:
    _register_fold()
    parts = []
    for name in fields:
        parts += [Coalesce(F(name), Value(""), output_field=CharField()), Value(" ")]
    queryset = queryset.annotate(search_text=_Fold(Concat(*parts, output_field=TextField())))
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset.order_by(*(queryset.query.order_by or queryset.model._meta.ordering or ["pk"]))


def _register_fold() -> None:
    """SQLite has no ``unaccent``: the portal's own fold, as a function of this connection (idempotent)."""
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_FOLD, 1, fold, deterministic=True)


def overview(user, terms: list[str], *, per_kind: int = 5) -> list[dict]:
    """Every kind with what ``user`` finds of it: ``{"kind", "count", "results"}`` (the first ``per_kind``), the
    kinds with nothing found included (count 0). Two queries per kind at most, whatever the data."""
    groups = []
    for kind in search_registry.kinds():
        found = matching(kind, user, terms)
        count = found.count()
        results = [kind.describe(obj) for obj in found[:per_kind]] if count else []
        groups.append({"kind": kind, "count": count, "results": results})
    return groups
