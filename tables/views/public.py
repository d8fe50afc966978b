"""The public pages of the working tables: /tavoli/ (tables, next sessions, participation map, outcomes), a table's
page, a session's page, the calendars and the open data. Organisations only: no person is named."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from municipalities.maps import MunicipalityMap, choropleth
from phases.phases import Feature
from phases.predicates import is_open
from psm_portal.lib.uploads import serve_private_file
from tables import opendata
from tables.calendar import feed_ics
from tables.forms import AnswerForm, AttendanceForm, ContributionForm, MinutesForm, OutcomeForm, ReplyForm
from tables.models import (
    CalendarFeed,
    DocumentRole,
    Member,
    MinutesState,
    Session,
    SessionDocument,
    WorkingTable,
)
from tables.reads import participation_by_comune, recent_outcomes, session_page, table_page, tables_listing


def _participation_map() -> str:
    """The map's SVG, kept under a digest of the counts it shows (the 108 paths are the slowest part to render)."""
    counts = participation_by_comune()
    key = "tables:map:" + hashlib.sha1(repr((get_language(), sorted(counts.items()))).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = str(_render_map(counts))
        cache.set(key, html, timeout=3600)
    return mark_safe(html)  # noqa: S308 - our own template's output


def _render_map(counts: dict[str, int]) -> str:
    fills, legend = choropleth(
        {code: float(n) for code, n in counts.items()}, unit=_("sedute"), zero_label=_("nessuna seduta")
    )
    notes = {code: _("%(n)s sedute seguite") % {"n": n} for code, n in counts.items()}
    return MunicipalityMap(
        title=_("Partecipazione dei comuni ai tavoli"),
        description=_("Mappa dei 108 comuni colorata secondo il numero di sedute dei tavoli a cui hanno partecipato."),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-tavoli",
    ).render()


@require_GET
def index(request):
    return render(
        request,
        "tables/index.html",
        {
            "tables": list(tables_listing()),
            "map": _participation_map(),
            "outcomes": recent_outcomes(),
        },
    )


@require_GET
def table_detail(request, pk: int):
    table = get_object_or_404(WorkingTable.objects.select_related("coordinator_office"), pk=pk)
    data = table_page(table, request.user)
    manager = table.can_manage(request.user)
    is_member = Member.objects.of_user(request.user).filter(table=table).exists()
    return render(
        request,
        "tables/table.html",
        {
            "table": table,
            **data,
            "manager": manager,
            "is_member": is_member,
            "contribution_form": ContributionForm() if is_member and is_open(Feature.JOIN_TABLES) else None,
            "outcome_form": OutcomeForm(table=table) if manager else None,
            "reply_form": ReplyForm() if manager else None,
        },
    )


@require_GET
def session_detail(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("table__coordinator_office"), pk=pk)
    data = session_page(session, request.user)
    manager = data["manager"]
    is_member = Member.objects.of_user(request.user).filter(table=session.table).exists()
    can_answer = is_member and not session.cancelled and not session.is_past and is_open(Feature.JOIN_TABLES)
    answer_initial = (
        {"answer": data["invitation"].answer, "delegate_name": data["invitation"].delegate_name}
        if data["invitation"] and data["invitation"].answer
        else None
    )
    attendance_form = minutes_form = None
    if manager and session.is_past and not session.cancelled:
        attendance_form = AttendanceForm(
            members=list(session.table.members.select_related("municipality", "office")),
            initial_people={a.member_id: a.people for a in data["attendance"]},
        )
        if session.minutes_state != MinutesState.PUBLISHED:
            minutes_form = MinutesForm(initial={"html": session.minutes_html})
    return render(
        request,
        "tables/session.html",
        {
            "session": session,
            "table": session.table,
            **data,
            "show_minutes": session.minutes_state == MinutesState.PUBLISHED
            or (manager and session.minutes_state == MinutesState.DRAFT),
            "answer_form": AnswerForm(initial=answer_initial) if can_answer else None,
            "attendance_form": attendance_form,
            "minutes_form": minutes_form,
        },
    )


@require_GET
def document(request, pk: int):
    document = get_object_or_404(SessionDocument.objects.select_related("session__table"), pk=pk)
    session = document.session
    if document.role == DocumentRole.MINUTES and session.minutes_state != MinutesState.PUBLISHED:
        if not session.table.can_manage(request.user):
            raise Http404
    return serve_private_file(document.file, document.name)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def table_calendar(request, pk: int):
    table = get_object_or_404(WorkingTable, pk=pk)
    sessions = table.sessions.select_related("table").prefetch_related("agenda_items").order_by("starts_at", "pk")
    return _ics(feed_ics(table.title, sessions), "tavolo.ics")


@require_GET
def personal_calendar(request, token: str):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    tables = WorkingTable.objects.filter(
        pk__in=[*WorkingTable.objects.of_member(user).values_list("pk", flat=True)]
        + [*WorkingTable.objects.coordinated_by(user).values_list("pk", flat=True)]
    )
    sessions = (
        Session.objects.filter(table__in=tables)
        .select_related("table")
        .prefetch_related("agenda_items")
        .order_by("starts_at", "pk")
    )
    response = _ics(feed_ics(_("I miei tavoli di lavoro"), sessions), "tavoli.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def opendata_csv(request):
    return opendata.csv_download()
