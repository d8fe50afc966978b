from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects import opendata
from projects.catalogue import facets as catalogue_facets
from projects.catalogue import filter_options, listing, published_projects, sort_order
from projects.forms import DecisionForm, ImportForm, ProjectFilterForm, ProjectForm, ProposalForm
from projects.models import ImportState, Project, ProjectImport, Proposal, Publication
from projects.services.imports import import_confirm, import_progress, import_upload
from projects.services.projects import project_create, project_set_publication, project_update
from projects.services.proposals import proposal_accept, proposal_decline, proposal_merge, proposal_submit
from projects.template import template_workbook
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required

PAGE_SIZE = 20


def _page(request, queryset, count: int | None = None):
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # already counted with the totals, in the same query
    return paginator.get_page(request.GET.get("pagina"))


def can_edit(user, project: Project) -> bool:
    """Only the project's own office staff and the PSM team edit a project."""
    if not user.is_authenticated:
        return False
    return user.is_team or (user.is_office_staff and user.office_id == project.office_id)


def get_project_for_user(request, pk: int, *, edit: bool = False) -> Project:
    """A project the user may see (404 otherwise: another office's drafts do not exist for them)."""
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("office"), pk=pk)
    if edit and not can_edit(request.user, project):
        raise PermissionDenied(_("Solo il personale dell'ufficio del progetto e il team PSM possono modificarlo."))
    return project


@require_GET
def catalogue(request):
    form = ProjectFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.cleaned_data if form.is_bound else {}
    projects, objective_errors = published_projects(filters)
    sort = sort_order(request.GET.get("ordina"))
    facets = catalogue_facets(projects, params=request.GET, by_amount=filters.get("mappa") == "importo")
    summary = facets["summary"]
    page = _page(request, listing(projects, sort), count=summary["n"])
    return render(
        request,
        "projects/catalogue.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "totals": facets["totals"],
            "summary": summary,
            "objective_errors": objective_errors,
            "map": facets["map"],
            **filter_options(),
        },
    )


@require_GET
def project_detail(request, pk: int):
    project = get_project_for_user(request, pk)
    editable = can_edit(request.user, project)
    context = {
        "project": project,
        "municipalities": project.municipalities.only("istat_code", "name", "slug"),
        "funding": project.funding_lines.all(),
        "objectives": project.objectives.only("pk", "code", "title", "sort_key"),
        "can_edit": editable,
        "history": _readable_history(project.changes.select_related("actor")[:50]) if editable else [],
        "proposals": project.proposals.all() if editable else [],
    }
    return render(request, "projects/detail.html", context)


HISTORY_LABELS = {
    "office_id": gettext_lazy("ufficio"),
    "municipalities": gettext_lazy("comuni (codici ISTAT)"),
    "funding": gettext_lazy("finanziamenti per fonte"),
    "objectives": gettext_lazy("obiettivi specifici (codici)"),
    "proposal": gettext_lazy("proposta"),
}


def _readable_history(changes) -> list[dict]:
    """History entries with Italian field names, for the project page."""
    rows = []
    for change in changes:
        fields = []
        for name, (before, after) in change.changes.items():
            try:
                label = HISTORY_LABELS.get(name) or Project._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = name
            fields.append({"label": label, "before": before, "after": after})
        rows.append({"change": change, "fields": fields})
    return rows


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def office_projects(request):
    projects = Project.objects.editable_by(request.user)
    publication = request.GET.get("pubblicazione", "")
    if publication in Publication.values:
        projects = projects.filter(publication=publication)
    query = request.GET.get("q", "").strip()[:100]
    projects = projects.search(query)
    page = _page(request, projects.select_related("office").order_by("-updated_at", "-pk"))
    imports = ProjectImport.objects.visible_to(request.user).select_related("office").order_by("-created_at")
    return render(
        request,
        "projects/office_projects.html",
        {
            "page": page,
            "query": query,
            "publication": publication,
            "publications": Publication.choices,
            "imports": imports[:10],
            "upload_gate": gate(Feature.UPLOAD_PORTFOLIO),
        },
    )


def _default_office(user):
    return user.office if user.is_office_staff else None


@phase_required(Feature.UPLOAD_PORTFOLIO)
@require_http_methods(["GET", "POST"])
def project_new(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, codes, funding = form.service_data()
        office = fields.pop("office", None) or _default_office(request.user)
        if office is None:
            form.add_error(None, _("Scegli l'ufficio del progetto."))
        else:
            try:
                project = project_create(
                    actor=request.user,
                    office=office,
                    fields=fields,
                    municipality_codes=codes,
                    funding=funding,
                    objectives=form.service_objectives(),
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Progetto salvato come bozza. Pubblicalo quando è pronto."))
                return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(Role.OFFICE, Role.TEAM)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = get_project_for_user(request, pk, edit=True)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, codes, funding = form.service_data()
        try:
            change = project_update(
                actor=request.user,
                project=project,
                fields=fields,
                municipality_codes=codes,
                funding=funding,
                objectives=form.service_objectives(),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Modifiche salvate.") if change else _("Nessuna modifica da salvare."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@role_required(Role.OFFICE, Role.TEAM)
@require_POST
def project_publish(request, pk: int):
    project = get_project_for_user(request, pk, edit=True)
    publish = request.POST.get("azione") != "ritira"
    project_set_publication(actor=request.user, project=project, publish=publish)
    messages.success(
        request, _("Progetto pubblicato nel catalogo.") if publish else _("Progetto ritirato: ora è una bozza.")
    )
    return redirect(project)


# --- Import --------------------------------------------------------------------------------------


@phase_required(Feature.UPLOAD_PORTFOLIO)
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        office = form.cleaned_data.get("office") or _default_office(request.user)
        upload = form.cleaned_data["file"]
        batch = import_upload(actor=request.user, office=office, name=upload.name, data=upload.read())
        return redirect(batch)
    return render(request, "projects/import_start.html", {"form": form})


def _get_import(request, pk: int) -> ProjectImport:
    batches = ProjectImport.objects.visible_to(request.user).select_related("office", "uploaded_by")
    return get_object_or_404(batches, pk=pk)


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def import_detail(request, pk: int):
    batch = _get_import(request, pk)
    errors = Paginator(batch.errors, 100).get_page(request.GET.get("pagina"))
    return render(
        request,
        "projects/import_detail.html",
        {"batch": batch, "errors": errors, "page": errors, "progress": import_progress(batch)},
    )


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def import_status(request, pk: int):
    batch = _get_import(request, pk)
    processed, total = import_progress(batch)
    return JsonResponse(
        {
            "state": batch.state,
            "label": batch.get_state_display(),
            "running": batch.is_running,
            "processed": processed,
            "total": total,
            "percent": min(100, round(100 * processed / total)) if total else (0 if batch.is_running else 100),
        }
    )


@phase_required(Feature.UPLOAD_PORTFOLIO)
@require_POST
def import_confirm_view(request, pk: int):
    batch = _get_import(request, pk)
    if batch.state == ImportState.PREVIEW and import_confirm(batch=batch):
        messages.info(request, _("Importazione avviata: tutte le righe saranno scritte insieme, oppure nessuna."))
    elif batch.state != ImportState.PREVIEW:
        messages.warning(request, _("Questo file non si può più importare: caricalo di nuovo."))
    return redirect(batch)


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def import_template(request):
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="modello-progetti.xlsx"'
    return response


# --- Proposals -----------------------------------------------------------------------------------


@role_required(Role.MAYOR, Role.STAKEHOLDER, Role.TEAM)
@require_GET
def proposals(request):
    items = Proposal.objects.visible_to(request.user).select_related("proposer", "municipality", "project")
    state = request.GET.get("esito", "")
    if state and request.user.is_team:
        items = items.filter(state=state)
    return render(
        request,
        "projects/proposals.html",
        {
            "page": _page(request, items),
            "gate": gate(Feature.PROPOSE_PROJECTS),
            "state": state,
            "states": Proposal._meta.get_field("state").choices,
        },
    )


@phase_required(Feature.PROPOSE_PROJECTS)
@require_http_methods(["GET", "POST"])
def proposal_new(request):
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = proposal_submit(
            proposer=request.user,
            title=data["title"],
            description=data["description"],
            municipality=data.get("municipality"),
            estimated_cost=data.get("estimated_cost"),
        )
        messages.success(request, _("Proposta inviata al team PSM. Qui vedrai la sua decisione."))
        return redirect("projects:proposal_detail", pk=proposal.pk)
    return render(request, "projects/proposal_form.html", {"form": form})


@role_required(Role.MAYOR, Role.STAKEHOLDER, Role.TEAM)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("proposer", "municipality", "project"), pk=pk
    )
    form = None
    if request.user.is_team and proposal.is_open:
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return _decide(request, proposal, form.cleaned_data)
    elif request.method == "POST":
        raise PermissionDenied(_("Solo il team PSM decide sulle proposte, una volta sola."))
    return render(request, "projects/proposal_detail.html", {"proposal": proposal, "form": form})


def _decide(request, proposal: Proposal, data: dict):
    decision, reason = data["decision"], (data.get("reason") or "").strip()
    try:
        if decision == DecisionForm.ACCEPT:
            project = proposal_accept(actor=request.user, proposal=proposal, office=data["office"], reason=reason)
            messages.success(request, _("Proposta accolta: è diventata un progetto in bozza dell'ufficio."))
            return redirect(project)
        if decision == DecisionForm.MERGE:
            proposal_merge(actor=request.user, proposal=proposal, project=data["project_obj"], reason=reason)
            messages.success(request, _("Proposta unita al progetto."))
        else:
            proposal_decline(actor=request.user, proposal=proposal, reason=reason)
            messages.success(request, _("Proposta non accolta: il proponente leggerà la motivazione."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("projects:proposal_detail", pk=proposal.pk)


# --- Open data -----------------------------------------------------------------------------------


@require_GET
def opendata_csv(request):
    return opendata.csv_download()


@require_GET
def opendata_json(request):
    response = HttpResponse(
        json.dumps(opendata.json_document(), ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="progetti.json"'
    return response
