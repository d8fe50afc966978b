"""Reserved area: the plan documents. The PSM team prepares and publishes them; their readers follow the progress
of each render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plan.forms import PlanRenderForm
from plan.models import PlanDocument
from plan.readers import READERS, can_download_unpublished
from plan.services import plan_publish, plan_request, plan_unpublish
from psm_portal.accounts.permissions import role_required, team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text

PAGE_SIZE = 20


@role_required(*READERS)
@require_GET
def plan_manage(request):
    page = Paginator(PlanDocument.objects.for_listing().order_by("-requested_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "plan/manage.html",
        {
            "page": page,
            "form": PlanRenderForm(),
            "can_render": request.user.is_team,
            "can_download_unpublished": can_download_unpublished(request.user),
        },
    )


@team_required
@require_POST
def plan_render_view(request):
    form = PlanRenderForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Scegli quale documento preparare: proposta preliminare, piano finale o relazione annuale di attuazione."
            ),
        )
        return redirect("plan:manage")
    document, created = plan_request(kind=form.cleaned_data["kind"], user=request.user)
    if created:
        messages.success(request, _("La preparazione di %(document)s è stata avviata.") % {"document": document})
    else:
        messages.info(
            request,
            _("I dati non sono cambiati dall'ultima versione: ecco %(document)s, già preparato con gli stessi dati.")
            % {"document": document},
        )
    return redirect("plan:progress", pk=document.pk)


@role_required(*READERS)
@require_GET
def plan_progress(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.for_listing(), pk=pk)
    return render(
        request,
        "plan/progress.html",
        {
            "document": document,
            "can_render": request.user.is_team,
            "can_download": document.is_ready and (document.is_published or can_download_unpublished(request.user)),
        },
    )


@role_required(*READERS)
@require_GET
def plan_status(request, pk: int):
    document = get_object_or_404(
        PlanDocument.objects.only(
            "pk",
            "kind",
            "version",
            "status",
            "progress",
            "error",
            "sha256",
            "pages",
            "same_as_id",
            "published_at",
            "resumed_at",
        ),
        pk=pk,
    )
    can_download = document.is_ready and (document.is_published or can_download_unpublished(request.user))
    return JsonResponse(
        {
            "id": document.pk,
            "status": document.status,
            "status_label": document.status_label,
            "progress": document.progress,
            "done": document.is_done,
            "resumed": document.resumed_at is not None,
            # The worker's message may name files and exceptions: for the team only.
            "error": document.error if request.user.is_team else "",
            "sha256": document.sha256,
            "pages": document.pages,
            "download_url": reverse("plan:download", args=[document.pk]) if can_download else "",
            "same_as_url": reverse("plan:progress", args=[document.same_as_id]) if document.same_as_id else "",
        },
        headers={"Cache-Control": "no-store"},
    )


@team_required
@require_POST
def plan_publish_view(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk)
    if document.is_ready and not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Pubblicare %(document)s su /piano/?") % {"document": document},
                consequences=[
                    _(
                        "Il documento diventa pubblico su /piano/: chiunque può scaricarlo e verificarne l'impronta SHA-256."
                    ),
                    _(
                        "La pubblicazione resta nel registro degli atti; il documento si può ritirare, ma chi l'ha scaricato lo conserva."
                    ),
                ],
                told=[_("Chiunque visiti /piano/ (nessuna e-mail).")],
                button=_("Pubblica il documento"),
                cancel_url=reverse("plan:manage"),
            ),
        )
    try:
        plan_publish(document=document, user=request.user)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("%(document)s è pubblicato su /piano/.") % {"document": document})
    return redirect("plan:manage")


@team_required
@require_POST
def plan_unpublish_view(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk)
    try:
        plan_unpublish(document=document, user=request.user)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("%(document)s non è più pubblicato.") % {"document": document})
    return redirect("plan:manage")
