from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.maps import MunicipalityMap, choropleth
from municipalities.models import Municipality
from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects import opendata
from projects.forms import DecisionForm, ImportForm, ProjectFilterForm, ProjectForm, ProposalForm
from projects.models import ImportState, Project, ProjectImport, Proposal, Publication
from projects.objectives import resolve_objective_codes, specific_objectives, split_codes
from projects.services.imports import import_confirm, import_progress, import_upload
from projects.services.projects import project_create, project_set_publication, project_update
from projects.services.proposals import proposal_accept, proposal_decline, proposal_merge, proposal_submit
from projects.template import template_workbook
from psm_portal.accounts.models import Office, Role
from psm_portal.accounts.permissions import role_required
from psm_portal.lib.money import format_euro

PAGE_SIZE = 20
MAP_CACHE_VERSION = 1  # bump when the municipalities' shapes or the map template change
# Projects without a cost or a date go last whichever the direction, on SQLite and PostgreSQL alike.
SORTS = {
    "titolo": ("title", "pk"),
    "-titolo": ("-title", "-pk"),
    "costo": (F("total_cost").asc(nulls_last=True), "pk"),
    "-costo": (F("total_cost").desc(nulls_last=True), "-pk"),
    "inizio": (F("planned_start").asc(nulls_last=True), "pk"),
    "-inizio": (F("planned_start").desc(nulls_last=True), "-pk"),
    "aggiornato": ("updated_at", "pk"),
    "-aggiornato": ("-updated_at", "-pk"),
}


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


def filter_projects(queryset, form: ProjectFilterForm) -> tuple:
    """Apply the catalogue's filters; returns the queryset and the errors about objective codes."""
    data = form.cleaned_data if form.is_bound else {}
    objective_errors: list[str] = []
    if data.get("q"):
        queryset = queryset.search(data["q"])
    if data.get("ufficio"):
        queryset = queryset.of_office(data["ufficio"])
    if data.get("comune"):
        queryset = queryset.for_municipality(data["comune"])
    if data.get("stato"):
        queryset = queryset.filter(status=data["stato"])
    if data.get("fonte"):
        queryset = queryset.funded_by(data["fonte"])
    if data.get("costo_min") is not None:
        queryset = queryset.filter(total_cost__gte=data["costo_min"])
    if data.get("costo_max") is not None:
        queryset = queryset.filter(total_cost__lte=data["costo_max"])
    if data.get("obiettivo"):
        objectives, objective_errors = resolve_objective_codes(split_codes(data["obiettivo"]))
        queryset = queryset.serving(objectives)
    return queryset, objective_errors


def _catalogue_map(queryset, by_amount: bool) -> MunicipalityMap:
    through = Project.municipalities.through
    rows = (
        through.objects.filter(project__in=queryset.values("pk"))
        .values("municipality_id")
        .annotate(n=Count("project_id"), amount=Sum("project__total_cost"))
    )
    counts = {row["municipality_id"]: row["n"] for row in rows}
    amounts = {row["municipality_id"]: float(row["amount"] or 0) for row in rows}
    if by_amount:
        fills, legend = choropleth(amounts, unit="€", zero_label=_("nessun progetto"))
        notes = {code: format_euro(value) for code, value in amounts.items()}
        title = _("Costo dei progetti per comune")
    else:
        fills, legend = choropleth(counts, zero_label=_("nessun progetto"))
        notes = {code: _("%(n)s progetti") % {"n": n} if n != 1 else _("1 progetto") for code, n in counts.items()}
        title = _("Numero di progetti per comune")
    municipality_map = MunicipalityMap(
        title=title,
        description=_(
            "Mappa dei comuni colorata secondo i progetti che li riguardano, con i filtri scelti; "
            "i progetti sull'intera area metropolitana non sono contati. Ogni comune porta alla sua pagina."
        ),
        fills=fills,
        notes=notes,
        legend=legend,
        dom_id="mappa-progetti",
    )
    return _rendered(municipality_map)


def _rendered(municipality_map: MunicipalityMap) -> str:
    """The map's SVG, cached under a digest of everything it shows: the same colours give the same markup,
    and the 108 paths are the slowest fragment of the page to render."""
    digest = hashlib.sha1(
        repr(
            (
                MAP_CACHE_VERSION,
                get_language(),
                str(municipality_map.title),
                str(municipality_map.description),
                sorted(municipality_map.fills.items()),
                sorted((k, str(v)) for k, v in municipality_map.notes.items()),
                [(item.colour, str(item.label)) for item in municipality_map.legend],
            )
        ).encode()
    ).hexdigest()
    key = f"projects:catalogue-map:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(municipality_map.render())
        cache.set(key, html, timeout=3600)
    return mark_safe(html)  # noqa: S308 - our own template's output


def _catalogue_facets(request, projects, by_amount: bool) -> dict:
    """Count, totals and map of the filtered set: three aggregates over every published project, cached
    under the filters and a fingerprint of the projects table (one cheap query), so any change shows at once."""
    fingerprint = Project.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    params = sorted((k, v) for k, v in request.GET.items() if k not in ("pagina", "ordina"))
    digest = hashlib.sha1(repr((fingerprint, params, by_amount, get_language())).encode()).hexdigest()
    key = f"projects:catalogue-facets:{digest}"
    facets = cache.get(key)
    if facets is None:
        summary = projects.aggregate(
            n=Count("pk"), cost=Sum("total_cost"), whole_area=Count("pk", filter=Q(whole_area=True))
        )
        facets = {
            "summary": summary,
            "totals": {
                "cost": summary["cost"] or Decimal("0"),
                "funding": projects.funding_total() if summary["n"] else Decimal("0"),
            },
            "map": _catalogue_map(projects, by_amount),
        }
        cache.set(key, facets, timeout=600)
    return facets


@require_GET
def catalogue(request):
    form = ProjectFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    projects, objective_errors = filter_projects(Project.objects.published(), form)
    sort = request.GET.get("ordina", "titolo")
    if sort not in SORTS:
        sort = "titolo"
    by_amount = form.is_bound and form.cleaned_data.get("mappa") == "importo"
    facets = _catalogue_facets(request, projects, by_amount)
    summary = facets["summary"]
    page = _page(request, projects.for_listing().order_by(*SORTS[sort]), count=summary["n"])
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
            "offices": Office.objects.only("pk", "name"),
            "municipality_options": Municipality.objects.order_by("name").values_list("istat_code", "name"),
            "objective_options": specific_objectives().values_list("code", "title"),
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
