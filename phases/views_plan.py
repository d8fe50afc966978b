"""The plan documents on the web: the public list, the team's area, the progress page and downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from phases.models import PlanDocument, PlanKind, PlanStatus
from phases.plan.services import plan_publish, plan_request, plan_unpublish
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required, team_required

# Who reads every version in the reserved area (the dashboard's «Documenti del piano»).
READERS = (Role.TEAM, Role.COUNCIL, Role.MAYOR, Role.OFFICE)
PAGE_SIZE = 20


class PlanRenderForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Documento da preparare"), choices=PlanKind.choices)


def _can_read_all(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in READERS)


def _listing():
    # The snapshot can be megabytes: lists never load it.
    return PlanDocument.objects.defer("snapshot").select_related("requested_by", "published_by")


@require_GET
def plan_list(request):
    page = Paginator(_listing().published(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "phases/plan/list.html", {"page": page})


@require_GET
def plan_download(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk, status=PlanStatus.READY)
    if not document.is_published and not _can_read_all(request.user):
        raise Http404(_("Documento non trovato."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Il file del documento non è disponibile."))
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type="application/pdf")
    response["X-Content-SHA256"] = document.sha256
    return response


@role_required(*READERS)
@require_GET
def plan_manage(request):
    page = Paginator(_listing().order_by("-requested_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "phases/plan/manage.html",
        {"page": page, "form": PlanRenderForm(), "can_render": request.user.is_team or request.user.is_superuser},
    )


@team_required
@require_POST
def plan_render_view(request):
    form = PlanRenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli quale documento preparare: proposta preliminare o piano finale."))
        return redirect("phases:plan_manage")
    document, created = plan_request(kind=form.cleaned_data["kind"], user=request.user)
    if created:
        messages.success(request, _("La preparazione di %(document)s è stata avviata.") % {"document": document})
    else:
        messages.info(
            request,
            _("I dati non sono cambiati dall'ultima versione: ecco %(document)s, già preparato con gli stessi dati.")
            % {"document": document},
        )
    return redirect("phases:plan_progress", pk=document.pk)


@role_required(*READERS)
@require_GET
def plan_progress(request, pk: int):
    document = get_object_or_404(_listing(), pk=pk)
    return render(
        request,
        "phases/plan/progress.html",
        {"document": document, "can_render": request.user.is_team or request.user.is_superuser},
    )


@role_required(*READERS)
@require_GET
def plan_status(request, pk: int):
    document = get_object_or_404(
        PlanDocument.objects.only("pk", "kind", "version", "status", "progress", "error", "sha256", "pages"), pk=pk
    )
    return JsonResponse(
        {
            "id": document.pk,
            "status": document.status,
            "status_label": document.get_status_display(),
            "progress": document.progress,
            "done": document.is_done,
            "error": document.error,
            "sha256": document.sha256,
            "pages": document.pages,
            "download_url": reverse("phases:plan_download", args=[document.pk]) if document.is_ready else "",
        },
        headers={"Cache-Control": "no-store"},
    )


@team_required
@require_POST
def plan_publish_view(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk)
    try:
        plan_publish(document=document, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(document)s è pubblicato su /piano/.") % {"document": document})
    return redirect("phases:plan_manage")


@team_required
@require_POST
def plan_unpublish_view(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk)
    plan_unpublish(document=document, user=request.user)
    messages.success(request, _("%(document)s non è più pubblicato.") % {"document": document})
    return redirect("phases:plan_manage")
