"""Public pages of the plan documents, open to anybody without signing in: the published versions and their
downloads (a document not yet published downloads only for its readers in the reserved area), and the check of
a copy by its SHA-256."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from plan.forms import PlanVerifyForm
from plan.models import Amendment, Deliberation, PlanDocument, PlanStatus
from plan.readers import can_download_unpublished
from plan.verification import verify_sha256

PAGE_SIZE = 20


@require_GET
def plan_list(request):
    """The approved plan first (the deliberation in force, its votes, the version voted and the amendments with
    their outcomes), then every published version."""
    approval = Deliberation.objects.approving().for_listing().select_related("agenda").first()
    amendments = Amendment.objects.filter(examination_id=approval.examination_id).for_listing() if approval else []
    page = Paginator(PlanDocument.objects.for_listing().published(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "plan/list.html", {"page": page, "approval": approval, "amendments": amendments})


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


@never_cache
@require_http_methods(["GET", "POST"])
def plan_verify(request):
    """A file uploaded (POST) or a SHA-256 pasted (POST, or GET ``?sha256=`` from a link): is it a plan document
    the portal published? Nothing is stored."""
    verdict = None
    if request.method == "POST":
        form = PlanVerifyForm(request.POST, request.FILES)
    elif "sha256" in request.GET:
        form = PlanVerifyForm(request.GET)
    else:
        form = PlanVerifyForm()
    if form.is_bound and form.is_valid():
        verdict = verify_sha256(form.cleaned_data["sha256"])
    return render(request, "plan/verify.html", {"form": form, "verdict": verdict})
