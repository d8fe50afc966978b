"""Open data of the working tables (CC BY 4.0): one row per session with its attendance by organisation and one row
per outcome with what it produced. Organisations only: no person's name, e-mail or answer is published."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.csvexport import csv_response
from psm_portal.lib.opendata import Dataset
from tables.models import Attendance, Outcome, Session

DATASETS = [
    Dataset(
        _("Tavoli di lavoro"),
        _(
            "Le sedute dei tavoli di lavoro con le presenze per organizzazione (comuni, uffici, stakeholder) e gli "
            "esiti con ciò che hanno prodotto nel piano: una riga per seduta e una per esito."
        ),
        "tables:opendata_csv",
        "CSV",
    ),
]

HEADER = [
    "row_type",
    "table_id",
    "table",
    "table_phase",
    "session_id",
    "session",
    "starts_at",
    "cancelled",
    "minutes_published",
    "attendance",
    "people",
    "outcome_id",
    "outcome",
    "objective_code",
    "proposal_id",
    "project_id",
    "vocation_slug",
    "scenario_slug",
    "url",
]


def rows() -> Iterator[list]:
    base = settings.SITE_URL.rstrip("/")
    attendance = Prefetch(
        "attendance", queryset=Attendance.objects.select_related("member__municipality", "member__office")
    )
    sessions = Session.objects.select_related("table").prefetch_related(attendance).order_by("starts_at", "pk")
    for session in sessions.iterator(chunk_size=500):
        present = [a for a in session.attendance.all() if a.people]
        yield [
            "session",
            session.table_id,
            session.table.title,
            session.table.phase,
            session.pk,
            session.title,
            timezone.localtime(session.starts_at).isoformat(),
            int(session.cancelled),
            int(session.minutes_public),
            "; ".join(f"{a.member.label} ({a.people})" for a in present),
            sum(a.people for a in present),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            base + session.get_absolute_url(),
        ]
    for outcome in Outcome.objects.for_listing().order_by("table_id", "pk").iterator(chunk_size=500):
        yield [
            "outcome",
            outcome.table_id,
            outcome.table.title,
            outcome.table.phase,
            outcome.session_id or "",
            outcome.session.title if outcome.session_id else "",
            "",
            "",
            "",
            "",
            "",
            outcome.pk,
            outcome.title,
            outcome.objective.code if outcome.objective_id else "",
            outcome.proposal_id or "",
            outcome.project_id or "",
            outcome.vocation.slug if outcome.vocation_id else "",
            outcome.scenario.slug if outcome.scenario_id else "",
            base + outcome.table.get_absolute_url(),
        ]


def csv_download():
    return csv_response("tavoli.csv", HEADER, rows())
