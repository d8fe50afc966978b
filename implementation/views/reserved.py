"""The reserved area of implementation: offices report on their projects and actions in the team's cycles; the
team opens cycles and validates or returns the reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from implementation.forms import CycleForm, FundingFormSet, MilestoneFormSet, ReportForm, ReturnForm
from implementation.models import ProgressReport, ReportingCycle
from implementation.services import cycle_create, report_return, report_submit, report_validate
from implementation.subjects import actions_for, projects_for, subject_for_user
from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects.models import Project
from projects.views.common import attach_errors
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from psm_portal.lib.params import as_int
from psm_portal.lib.uploads import serve_private_file

PAGE_SIZE = 50
KINDS = ("progetto", "azione")


def _with_cycle_report(queryset, cycle, field: str):
    """Each project (action) with its latest report in ``cycle``: id and review state."""
    latest = ProgressReport.objects.filter(cycle=cycle, **{field: OuterRef("pk")}).order_by("-submitted_at", "-pk")
    return queryset.annotate(
        report_id=Subquery(latest.values("pk")[:1]), report_review=Subquery(latest.values("review")[:1])
    )


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def office_home(request):
    cycles = ReportingCycle.objects.all() if request.user.is_team else ReportingCycle.objects.started()
    cycles = list(cycles)
    chosen = as_int(request.GET.get("ciclo"))
    cycle = next((c for c in cycles if c.pk == chosen), None) or next((c for c in cycles if c.is_open()), None)
    cycle = cycle or (cycles[0] if cycles else None)
    projects = actions = None
    if cycle is not None:
        projects = Paginator(
            _with_cycle_report(projects_for(request.user).select_related("office"), cycle, "project").order_by(
                "title", "pk"
            ),
            PAGE_SIZE,
        ).get_page(request.GET.get("pagina"))
        actions = list(
            _with_cycle_report(
                actions_for(request.user).select_related("agenda", "responsible_office"), cycle, "action"
            ).order_by("agenda__year", "position", "pk")
        )
    return render(
        request,
        "implementation/office.html",
        {
            "cycles": cycles,
            "cycle": cycle,
            "projects": projects,
            "actions": actions,
            "gate": gate(Feature.REPORT_PROGRESS),
            "form": CycleForm() if request.user.is_team else None,
            "pending": ProgressReport.objects.pending().count() if request.user.is_team else 0,
        },
    )


@phase_required(Feature.REPORT_PROGRESS)
@require_POST
def cycle_new(request):
    if not request.user.is_team:
        raise PermissionDenied(_("Solo il team PSM apre i cicli di rendicontazione."))
    form = CycleForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("implementation:office")
    try:
        cycle = cycle_create(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
        return redirect("implementation:office")
    messages.success(
        request, _("Ciclo «%(cycle)s» creato: gli uffici ricevono un'e-mail quando si apre.") % {"cycle": cycle}
    )
    return redirect(f"{reverse('implementation:office')}?ciclo={cycle.pk}")


def _initial(subject, previous: ProgressReport | None) -> tuple[dict, list[dict], list[dict]]:
    """The form filled from the subject's latest report (milestones and sources carried forward)."""
    if previous is not None:
        report = {"progress": previous.progress, "percent": previous.percent}
        milestones = [
            {"title": m.title, "planned_on": m.planned_on, "achieved_on": m.achieved_on}
            for m in previous.milestones.all()
        ]
        funding = [{"source": f.source, "committed": f.committed, "paid": f.paid} for f in previous.funding.all()]
    else:
        report, milestones = {}, []
        if isinstance(subject, Project):
            funding = [{"source": line.source} for line in subject.funding_lines.all()]
        else:
            funding = [{"source": subject.funding_source}] if subject.funding_source else []
    return report, milestones + [{}, {}], funding + [{}]


@phase_required(Feature.REPORT_PROGRESS)
@require_http_methods(["GET", "POST"])
def report_new(request, cycle: int, kind: str, pk: int):
    if kind not in KINDS:
        raise Http404
    cycle = get_object_or_404(ReportingCycle.objects.started(), pk=cycle)
    subject = subject_for_user(request.user, kind, pk)
    history = ProgressReport.objects.filter(**{"project" if kind == "progetto" else "action": subject})
    previous = history.prefetch_related("milestones", "funding").order_by("-submitted_at", "-pk").first()
    initial, milestone_rows, funding_rows = _initial(subject, previous)
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ReportForm(post, files, initial=initial)
    milestones = MilestoneFormSet(post, prefix="traguardi", initial=milestone_rows)
    funding = FundingFormSet(post, prefix="fonti", initial=funding_rows)
    if request.method == "POST" and form.is_valid() and milestones.is_valid() and funding.is_valid():
        data = form.cleaned_data
        try:
            report = report_submit(
                user=request.user,
                cycle=cycle,
                subject=subject,
                progress=data["progress"],
                percent=data["percent"],
                note=data["note"],
                milestones=[row for row in milestones.cleaned_data if row.get("title")],
                funding=[row for row in funding.cleaned_data if row.get("source")],
                document=data.get("document"),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Rilevazione inviata: il team PSM la verificherà."))
            return redirect("implementation:report", pk=report.pk)
    return render(
        request,
        "implementation/report_form.html",
        {
            "form": form,
            "milestones": milestones,
            "funding": funding,
            "cycle": cycle,
            "subject": subject,
            "kind": kind,
            "previous": previous,
        },
    )


def _readable(request, pk: int) -> ProgressReport:
    # Another office's report does not exist for office staff: 404, as for a forged id.
    return get_object_or_404(ProgressReport.objects.readable_by(request.user).for_listing(), pk=pk)


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def report_detail(request, pk: int):
    report = _readable(request, pk)
    subject = {"project_id": report.project_id} if report.project_id else {"action_id": report.action_id}
    history = ProgressReport.objects.readable_by(request.user).filter(**subject).select_related("cycle")
    return render(
        request,
        "implementation/report_detail.html",
        {
            "report": report,
            "milestones": report.milestones.all(),
            "funding": report.funding.all(),
            "history": history.order_by("-submitted_at", "-pk")[:50],
            "return_form": ReturnForm() if request.user.is_team and report.is_pending else None,
            "gate": gate(Feature.REPORT_PROGRESS),
        },
    )


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def report_document(request, pk: int):
    report = _readable(request, pk)
    if not report.document:
        raise Http404
    return serve_private_file(report.document, report.document_name or report.document.name)


@role_required(Role.TEAM)
@require_GET
def review_queue(request):
    reports = ProgressReport.objects.pending().for_listing().order_by("submitted_at", "pk")
    return render(
        request,
        "implementation/review_queue.html",
        {"page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("pagina"))},
    )


@phase_required(Feature.REPORT_PROGRESS)
@require_POST
def report_validate_view(request, pk: int):
    if not request.user.is_team:
        raise PermissionDenied(_("Solo il team PSM verifica le rilevazioni."))
    report = _readable(request, pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Validare la rilevazione su «%(subject)s»?") % {"subject": report.subject_label},
                consequences=[
                    _("La rilevazione diventa pubblica: pagina del progetto, pagina /attuazione/ e dati aperti."),
                    _("L'avanzamento degli obiettivi, dei comuni e del piano si aggiorna con i suoi valori."),
                    _("La validazione resta nel registro degli atti e non si annulla."),
                ],
                button=_("Valida la rilevazione"),
                cancel_url=report.get_absolute_url(),
                danger=False,
            ),
        )
    try:
        report_validate(user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Rilevazione validata."))
    return redirect(report)


@phase_required(Feature.REPORT_PROGRESS)
@require_POST
def report_return_view(request, pk: int):
    if not request.user.is_team:
        raise PermissionDenied(_("Solo il team PSM verifica le rilevazioni."))
    report = _readable(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(report)
    try:
        report_return(user=request.user, report=report, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Rilevazione rinviata all'ufficio, che riceve un'e-mail con il motivo."))
    return redirect(report)
