"""The reserved area's imports: uploading a spreadsheet, following its check, confirming it, and the
template to fill in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases.phases import Feature
from phases.predicates import phase_required
from projects.forms import ImportForm
from projects.models import ProjectImport
from projects.services.imports import import_confirm, import_progress, import_upload
from projects.template import template_workbook
from projects.views.common import default_office
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required


@phase_required(Feature.UPLOAD_PORTFOLIO)
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        office = form.cleaned_data.get("office") or default_office(request.user)
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
            "label": batch.status_label,
            "running": batch.is_running,
            "resumed": batch.resumed_at is not None,
            "processed": processed,
            "total": total,
            "percent": min(100, round(100 * processed / total)) if total else (0 if batch.is_running else 100),
        }
    )


@phase_required(Feature.UPLOAD_PORTFOLIO)
@require_POST
def import_confirm_view(request, pk: int):
    batch = _get_import(request, pk)
    try:
        import_confirm(batch=batch)
    except ValidationError as error:
        messages.warning(request, error.messages[0])
    else:
        messages.info(request, _("Importazione avviata: tutte le righe saranno scritte insieme, oppure nessuna."))
    return redirect(batch)


@role_required(Role.OFFICE, Role.TEAM)
@require_GET
def import_template(request):
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="modello-progetti.xlsx"'
    return response
