"""The reserved area of an office's portfolio: its projects and their drafts, creating and editing a project,
publishing or withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects.forms import ProjectForm
from projects.models import Project, ProjectImport, Publication
from projects.services.projects import project_create, project_set_publication, project_update
from projects.views.common import attach_errors, default_office, get_project_for_user, paginate
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def office_projects(request):
    projects = Project.objects.editable_by(request.user)
    publication = request.GET.get("pubblicazione", "")
    if publication in Publication.values:
        projects = projects.filter(publication=publication)
    # A NUL byte cannot be searched for (PostgreSQL refuses it in a query): it is dropped.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    projects = projects.search(query)
    page = paginate(request, projects.select_related("office").order_by("-updated_at", "-pk"))
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


@phase_required(Feature.UPLOAD_PORTFOLIO)
@require_http_methods(["GET", "POST"])
def project_new(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, codes, funding = form.service_data()
        office = fields.pop("office", None) or default_office(request.user)
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
                attach_errors(form, exc)
            else:
                messages.success(request, _("Progetto salvato come bozza. Pubblicalo quando è pronto."))
                return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


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
            attach_errors(form, exc)
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
