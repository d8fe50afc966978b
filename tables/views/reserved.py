"""The reserved side of the working tables: the team creates tables and sessions; members answer invitations and
send written contributions; the coordinator (or the team) records attendance, minutes, replies and outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects.views.common import attach_errors
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from psm_portal.lib.uploads import serve_private_file
from tables.forms import (
    AnswerForm,
    AttendanceForm,
    ContributionForm,
    MinutesForm,
    OutcomeForm,
    ReplyForm,
    SessionForm,
    TableForm,
)
from tables.models import CalendarFeed, Contribution, Member, Session, WorkingTable
from tables.reads import work_to_do
from tables.services import (
    attendance_record,
    contribution_reply,
    contribution_submit,
    feed_revoke,
    invitation_answer,
    minutes_publish,
    minutes_save,
    outcome_create,
    session_cancel,
    session_save,
    table_save,
)

PARTICIPANTS = (Role.TEAM, Role.OFFICE, Role.MAYOR, Role.STAKEHOLDER)


def _team(request) -> None:
    if not request.user.is_team:
        raise PermissionDenied(_("Solo il team PSM crea e gestisce i tavoli di lavoro e le loro sedute."))


def _manager(request, table: WorkingTable) -> None:
    if not table.can_manage(request.user):
        raise PermissionDenied(_("Solo il coordinatore del tavolo e il team PSM possono farlo."))


@role_required(*PARTICIPANTS)
@require_GET
def home(request):
    user = request.user
    tables = WorkingTable.objects.all() if user.is_team else WorkingTable.objects.of_member(user)
    coordinated = WorkingTable.objects.coordinated_by(user) if not user.is_team else WorkingTable.objects.none()
    feed = CalendarFeed.objects.filter(user=user).first()
    return render(
        request,
        "tables/home.html",
        {
            "tables": list(tables.select_related("coordinator_office").order_by("phase", "title", "pk")),
            "coordinated": list(coordinated.order_by("title", "pk")),
            "feed_url": request.build_absolute_uri(reverse("tables:personal_calendar", args=[feed.token]))
            if feed
            else None,
            "manage_gate": gate(Feature.MANAGE_TABLES) if user.is_team else None,
            "todo": work_to_do(user),
        },
    )


@phase_required(Feature.MANAGE_TABLES)
@require_http_methods(["GET", "POST"])
def table_edit(request, pk: int | None = None):
    _team(request)
    table = get_object_or_404(WorkingTable, pk=pk) if pk else None
    initial = None
    if table is not None:
        members = list(table.members.all())
        initial = {
            "title": table.title,
            "theme": table.theme,
            "description": table.description,
            "phase": table.phase,
            "objectives": list(table.objectives.all()),
            "coordinator_user": table.coordinator_user_id,
            "coordinator_office": table.coordinator_office_id,
            "municipalities": [m.municipality_id for m in members if m.municipality_id],
            "offices": [m.office_id for m in members if m.office_id],
            "organisations": "\n".join(m.organisation for m in members if m.organisation),
        }
    form = TableForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            table = table_save(user=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Tavolo «%(table)s» salvato.") % {"table": table})
            return redirect(table)
    return render(request, "tables/table_form.html", {"form": form, "table": table})


@phase_required(Feature.MANAGE_TABLES)
@require_http_methods(["GET", "POST"])
def session_edit(request, table: int, pk: int | None = None):
    _team(request)
    table = get_object_or_404(WorkingTable, pk=table)
    session = get_object_or_404(Session, pk=pk, table=table) if pk else None
    if session is not None and session.cancelled:
        raise Http404
    initial = None
    if session is not None:
        initial = {
            "title": session.title,
            "starts_at": session.starts_at,
            "duration_minutes": session.duration_minutes,
            "place": session.place,
            "online_url": session.online_url,
            "capacity": session.capacity,
            "agenda": "\n".join(item.title for item in session.agenda_items.all()),
        }
    form = SessionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document")
        try:
            session = session_save(
                user=request.user, table=table, session=session, documents=[document] if document else [], **data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Seduta salvata: i membri ricevono l'invito per e-mail con l'evento."))
            return redirect(session)
    return render(request, "tables/session_form.html", {"form": form, "table": table, "session": session})


@phase_required(Feature.MANAGE_TABLES)
@require_POST
def session_cancel_view(request, pk: int):
    _team(request)
    session = get_object_or_404(Session.objects.select_related("table"), pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Annullare la seduta «%(session)s»?") % {"session": session.title},
                consequences=[
                    _("La seduta resta nell'elenco, segnata come annullata."),
                    _("I calendari dei membri la tolgono con un evento di annullamento."),
                ],
                told=[_("i membri del tavolo, per e-mail")],
                button=_("Annulla la seduta"),
                cancel_url=session.get_absolute_url(),
            ),
        )
    try:
        session_cancel(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Seduta annullata: i membri ricevono l'annullamento."))
    return redirect(session)


@phase_required(Feature.JOIN_TABLES)
@require_POST
def answer_view(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("table"), pk=pk)
    if not Member.objects.of_user(request.user).filter(table=session.table).exists():
        raise PermissionDenied(_("Solo i membri del tavolo rispondono agli inviti."))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(session)
    try:
        invitation_answer(user=request.user, session=session, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Risposta registrata."))
    return redirect(session)


@role_required(*PARTICIPANTS)
@require_POST
def attendance_view(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("table"), pk=pk)
    _manager(request, session.table)
    members = list(session.table.members.select_related("municipality", "office"))
    form = AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(session)
    try:
        attendance_record(user=request.user, session=session, people=form.people())
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Presenze registrate."))
    return redirect(session)


@role_required(*PARTICIPANTS)
@require_POST
def minutes_view(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("table"), pk=pk)
    _manager(request, session.table)
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(session)
    attachment = form.cleaned_data["attachment"]
    try:
        minutes_save(
            user=request.user,
            session=session,
            html=form.cleaned_data["html"],
            attachments=[attachment] if attachment else [],
        )
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Bozza del verbale salvata: non è ancora pubblica."))
    return redirect(session)


@role_required(*PARTICIPANTS)
@require_POST
def minutes_publish_view(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("table"), pk=pk)
    _manager(request, session.table)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Pubblicare il verbale della seduta «%(session)s»?") % {"session": session.title},
                consequences=[
                    _("Il verbale e i suoi allegati diventano pubblici sulla pagina della seduta."),
                    _("Dopo la pubblicazione il verbale non si può più modificare."),
                ],
                button=_("Pubblica il verbale"),
                cancel_url=session.get_absolute_url(),
            ),
        )
    try:
        minutes_publish(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Verbale pubblicato."))
    return redirect(session)


@phase_required(Feature.JOIN_TABLES)
@require_POST
def contribution_view(request, pk: int):
    table = get_object_or_404(WorkingTable, pk=pk)
    if not Member.objects.of_user(request.user).filter(table=table).exists():
        raise PermissionDenied(_("Solo i membri del tavolo inviano contributi."))
    form = ContributionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(table)
    try:
        contribution_submit(user=request.user, table=table, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Contributo inviato al coordinatore del tavolo."))
    return redirect(f"{table.get_absolute_url()}#contributi")


@role_required(*PARTICIPANTS)
@require_POST
def reply_view(request, pk: int):
    contribution = get_object_or_404(Contribution.objects.select_related("table"), pk=pk)
    _manager(request, contribution.table)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            contribution_reply(user=request.user, contribution=contribution, reply=form.cleaned_data["reply"])
        except ValidationError as error:
            messages.error(request, errors_text(error))
        else:
            messages.success(request, _("Risposta inviata."))
    return redirect(f"{contribution.table.get_absolute_url()}#contributi")


@role_required(*PARTICIPANTS)
@require_GET
def contribution_document(request, pk: int):
    contribution = get_object_or_404(Contribution.objects.select_related("table"), pk=pk)
    mine = Member.objects.of_user(request.user).filter(pk=contribution.member_id).exists()
    if not (mine or contribution.table.can_manage(request.user)) or not contribution.document:
        raise Http404
    return serve_private_file(contribution.document, contribution.document_name)


@role_required(*PARTICIPANTS)
@require_POST
def outcome_view(request, pk: int):
    table = get_object_or_404(WorkingTable, pk=pk)
    _manager(request, table)
    form = OutcomeForm(request.POST, table=table)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(f"{table.get_absolute_url()}#esiti")
    try:
        outcome_create(user=request.user, table=table, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Esito registrato."))
    return redirect(f"{table.get_absolute_url()}#esiti")


@role_required(*PARTICIPANTS)
@require_POST
def feed_view(request):
    """Create the personal calendar's secret address, or replace it (the old one stops working)."""
    feed_revoke(user=request.user)
    messages.success(request, _("Nuovo indirizzo del calendario personale creato: quello precedente non vale più."))
    return redirect("tables:home")
