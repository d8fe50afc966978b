"""The reserved area of an office's portfolio: its projects and their drafts, creating and editing a project,
publishing or withdrawing it, publishing many drafts at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects.forms import ProjectForm
from projects.models import Project, ProjectImport, Publication
from projects.services.projects import (
    PUBLISH_MANY_LIMIT,
    project_create,
    project_set_publication,
    project_update,
    projects_publish_many,
)
from projects.views.common import attach_errors, default_office, get_project_for_user, paginate
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from psm_portal.lib.params import as_int


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


def _chosen_ids(request) -> list[int]:
    """The projects ticked in the list (``progetto``), or carried by the confirmation page (``progetti``)."""
    raw = request.POST.getlist("progetto") + request.POST.get("progetti", "").split(",")
    return sorted({n for n in (as_int(value) for value in raw[: PUBLISH_MANY_LIMIT + 1]) if n is not None})


@role_required(Role.OFFICE, Role.TEAM)
@require_POST
def projects_publish_many_view(request):
    """Publish the ticked drafts of the list at once, after a confirmation; a project the user may not edit
    refuses the whole act."""
    ids = _chosen_ids(request)
    projects = list(Project.objects.editable_by(request.user).filter(pk__in=ids).order_by("title", "pk"))
    if len(projects) != len(ids):
        raise PermissionDenied(_("Puoi pubblicare solo i progetti del tuo ufficio."))
    drafts = [p for p in projects if p.publication != Publication.PUBLISHED]
    if not drafts:
        messages.error(request, _("Scegli almeno un progetto in bozza da pubblicare."))
        return redirect("projects:office_projects")
    if not confirmed(request):
        return confirmation_page(request, _publish_many_confirmation(drafts))
    try:
        published = projects_publish_many(actor=request.user, projects=drafts)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Progetti pubblicati nel catalogo: %(n)s.") % {"n": len(published)})
    return redirect("projects:office_projects")


def _publish_many_confirmation(drafts: list[Project]) -> Confirmation:
    shown = 10
    titles = ", ".join(f"«{p.title}»" for p in drafts[:shown])
    if len(drafts) > shown:
        titles += " " + _("e altri %(n)s") % {"n": len(drafts) - shown}
    return Confirmation(
        title=_("Pubblicare %(n)s progetti nel catalogo?") % {"n": len(drafts)},
        consequences=[
            _("Diventano visibili a tutti su /progetti/, nelle pagine dei comuni e negli open data: %(titles)s.")
            % {"titles": titles},
            _(
                "Ogni pubblicazione resta nella storia del progetto e nel registro degli atti; si può ritirare un progetto alla volta."
            ),
        ],
        told=[_("Chiunque visiti il catalogo dei progetti (nessuna e-mail).")],
        button=_("Pubblica i progetti"),
        cancel_url=reverse("projects:office_projects"),
        carried={"progetti": ",".join(str(p.pk) for p in drafts)},
        danger=False,
    )
