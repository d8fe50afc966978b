"""Helpers for the data each part of the portal gives the plan documents (its ``plan_section.py``).

A section's *provider* returns JSON-serialisable data frozen into a document's snapshot, or
``unavailable()`` when its part of the portal has nothing to give yet. Its *fingerprint* is a cheap
hash that changes whenever the provider's output may: a request for a document compares
fingerprints only, so identical data returns the existing document at once; the snapshot itself
(every provider's output, hundreds of kilobytes) is built by the worker.

A fingerprint hashes the raw rows of every table its provider reads (all their columns, in
primary-key order), or counters that move whenever those rows change. It may change when the
printed content does not (an unrelated column edited): the worker then finds a document with the
same content hash and renders nothing. It must never stay the same when the content changes:
every column of every row read is part of it.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext as _


def unavailable(note: str = "") -> dict:
    """A section whose part of the portal has nothing to give yet: the PDF says so."""
    return {"available": False, "note": note or _("Questa parte del piano non è ancora disponibile nel portale.")}


def decimal_text(value) -> str:
    """A decimal as the snapshot keeps it: ``"1250000.00"``, or ``""`` for none."""
    return "" if value is None else str(value)


def table_rows(queryset: models.QuerySet) -> list[tuple]:
    """Every concrete column of every row of the queryset, in primary-key order."""
    columns = [field.attname for field in queryset.model._meta.concrete_fields]
    return list(queryset.order_by("pk").values_list(*columns))


def through_rows(field: models.ManyToManyField) -> list[tuple]:
    """The rows of a many-to-many link table."""
    return table_rows(field.remote_field.through.objects.all())


def digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()
