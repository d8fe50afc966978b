"""Public pages of the plan documents, open to anybody without signing in: the published versions and their
downloads (a document not yet published downloads only for its readers in the reserved area)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plan.models import PlanDocument, PlanStatus
from plan.readers import can_download_unpublished

PAGE_SIZE = 20


@require_GET
def plan_list(request):
    page = Paginator(PlanDocument.objects.for_listing().published(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "plan/list.html", {"page": page})


@require_GET
def plan_download(request, pk: int):
    document = get_object_or_404(PlanDocument.objects.defer("snapshot"), pk=pk, status=PlanStatus.READY)
    if not document.is_published and not can_download_unpublished(request.user):
        raise Http404(_("Documento non trovato."))
    if not document.file:
        raise Http404(_("Il file del documento non è disponibile."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Il file del documento non è disponibile."))
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type="application/pdf")
    response["X-Content-SHA256"] = document.sha256
    return response
