"""Reserved area: istanze. A mayor sends and reads those of their comune; the PSM team reads, tags and replies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from outcomes.reads import outcomes_of
from phases.forms import NeedFilterForm, NeedForm, NeedReviewForm
from phases.models import Need, NeedAttachment
from phases.phases import Feature
from phases.predicates import gate, phase_required
from phases.services import need_review, need_submit
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team, role_required, team_required
from psm_portal.lib.uploads import serve_private_file


def _need_for_user(request, pk: int) -> Need:
    """The istanza, if the user is the PSM team or a mayor of its municipality; else 404."""
    need = get_object_or_404(Need.objects.select_related("municipality", "author", "replied_by"), pk=pk)
    user = request.user
    if is_team(user) or (user.role == Role.MAYOR and user.municipality_id == need.municipality_id):
        return need
    raise Http404


@role_required(Role.MAYOR)
@require_GET
def needs(request):
    queryset = Need.objects.for_municipality(request.user.municipality).prefetch_related("objectives")
    page = Paginator(queryset, 20).get_page(request.GET.get("pagina"))
    return render(request, "phases/needs/list.html", {"page": page, "gate": gate(Feature.SEND_NEEDS)})


@phase_required(Feature.SEND_NEEDS)
def need_create(request):
    form = NeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_submit(
                user=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                theme=form.cleaned_data["theme"],
                objectives=form.cleaned_data["objectives"],
                attachments=form.attachments(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Istanza inviata al team PSM."))
            return redirect(need.get_absolute_url())
    return render(request, "phases/needs/form.html", {"form": form})


@login_required
def need_detail(request, pk: int):
    need = _need_for_user(request, pk)
    form = None
    if is_team(request.user):
        form = NeedReviewForm.for_need(need, request.POST or None)
        if request.method == "POST" and form.is_valid():
            need_review(
                need=need,
                actor=request.user,
                status=form.cleaned_data["status"],
                tags=form.cleaned_data["tags"],
                reply=form.cleaned_data["reply"],
                led_to=form.cleaned_data["led_to"],
            )
            messages.success(request, _("Esame dell'istanza salvato."))
            return redirect(need.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied(_("Solo il team PSM esamina le istanze."))
    return render(
        request,
        "phases/needs/detail.html",
        {
            "need": need,
            "form": form,
            "attachments": need.attachments.all(),
            "objectives": need.objectives.all(),
            "outcomes": outcomes_of(need, request.user),
        },
    )


@team_required
@require_GET
def needs_review(request):
    form = NeedFilterForm(request.GET or None)
    queryset = Need.objects.select_related("municipality").prefetch_related("objectives")
    if form.is_valid():
        data = form.cleaned_data
        queryset = queryset.search(data["q"]).with_status(data["stato"]).with_theme(data["tema"])
    page = Paginator(queryset, 25).get_page(request.GET.get("pagina"))
    return render(request, "phases/needs/review.html", {"page": page, "form": form})


@login_required
@require_GET
def need_attachment(request, pk: int):
    attachment = get_object_or_404(NeedAttachment, pk=pk)
    _need_for_user(request, attachment.need_id)
    return serve_private_file(attachment.file, attachment.name)
