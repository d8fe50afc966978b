"""Cheap fingerprints of the data each plan section is made from.

A request for a document compares the fingerprint of the current data with those of the
documents already made, so that identical data returns the existing document at once; the
snapshot itself (every provider's output, hundreds of kilobytes) is built by the worker.

A fingerprint hashes the raw rows of every table its provider reads (all their columns, in
primary-key order), or counters that move whenever those rows change (for the questionnaire's
running counts). It may change when the printed content does not (an unrelated column edited):
the worker then finds a document with the same content hash and renders nothing. It must never
stay the same when the content changes: every column of every row read is part of it.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Count, Max, Sum


def table_rows(queryset: models.QuerySet) -> list[tuple]:
    """Every concrete column of every row of the queryset, in primary-key order."""
    columns = [field.attname for field in queryset.model._meta.concrete_fields]
    return list(queryset.order_by("pk").values_list(*columns))


def through_rows(field: models.ManyToManyField) -> list[tuple]:
    """The rows of a many-to-many link table."""
    return table_rows(field.remote_field.through.objects.all())


def digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def phases(kind: str) -> str:
    from phases.models import Phase

    return digest(table_rows(Phase.objects.all()))


def vision(kind: str) -> str:
    from phases.models import VisionVersion

    return digest(table_rows(VisionVersion.objects.all()))


def objectives(kind: str) -> str:
    """The tree, its indicators, the projects with their funding, comuni and objectives.

    The comuni's names printed beside each project are in the ``municipalities`` section's fingerprint.
    """
    from phases.models import Indicator, Objective
    from projects.models import FundingLine, Project

    return digest(
        [
            table_rows(Objective.objects.all()),
            table_rows(Indicator.objects.all()),
            table_rows(Project.objects.all()),
            table_rows(FundingLine.objects.all()),
            through_rows(Project._meta.get_field("municipalities")),
            through_rows(Project._meta.get_field("objectives")),
        ]
    )


def questionnaire(kind: str) -> str:
    """The questionnaires with their questions and options, and the running counts of their answers.

    Responses are only ever added, and every one adds to the counts: the number of count rows,
    their sums and their highest key (a rebuild makes new rows) move with any change.
    """
    from surveys.models import Option, Question, Questionnaire, Response, Tally

    counts = Tally.objects.aggregate(
        rows=Count("pk"), top=Max("pk"), n=Sum("count"), ranks=Sum("rank_sum"), numbers=Sum("number_sum")
    )
    return digest(
        [
            table_rows(Questionnaire.objects.all()),
            table_rows(Question.objects.all()),
            table_rows(Option.objects.all()),
            Response.objects.count(),
            sorted(counts.items()),
        ]
    )


def municipalities(kind: str) -> str:
    from municipalities.models import Municipality

    return digest(table_rows(Municipality.objects.all()))


def needs(kind: str) -> str:
    from phases.models import Need

    return digest(list(Need.objects.order_by("pk").values_list("pk", "municipality_id")))
