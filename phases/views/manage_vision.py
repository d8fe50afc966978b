"""Reserved area, PSM team only: the Vision's versions (draft, review, adoption) and the objectives tree."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phases import services
from phases.forms import IndicatorFormSet, ObjectiveForm, OpenReviewForm, VisionVersionForm
from phases.models import Objective, ObjectiveLevel, VisionStatus, VisionVersion
from psm_portal.accounts.permissions import team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text

# The shape of an objective's code (A, A1, A1.2), as in the addresses: anything else (a NUL byte, which
# PostgreSQL refuses in a query) is no parent.
CODE_SHAPE = re.compile(r"[A-Z][0-9]*(?:\.[0-9]+)*")


@team_required
def manage_vision(request):
    versions = list(VisionVersion.objects.order_by("-number"))
    for version in versions:
        if version.is_draft:
            # One form per draft, each with its own ids; the field keeps its name, which version_open reads.
            version.open_form = OpenReviewForm(auto_id=f"versione-{version.pk}-%s")
    axes = Objective.objects.as_tree()
    return render(request, "phases/manage_vision.html", {"versions": versions, "axes": axes, "statuses": VisionStatus})


@team_required
def version_create(request):
    last = VisionVersion.objects.order_by("-number").first()
    initial = {"title": last.title, "text": last.text} if last else {}
    form = VisionVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = services.vision_version_create(
            actor=request.user, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
        )
        messages.success(request, _("Creata la bozza della versione %(n)s.") % {"n": version.number})
        return redirect("phases:manage_vision")
    return render(request, "phases/version_form.html", {"form": form, "version": None})


@team_required
def version_edit(request, pk: int):
    version = get_object_or_404(VisionVersion, pk=pk)
    if not version.is_draft:
        messages.error(request, _("Solo una bozza si può modificare: crea una nuova versione."))
        return redirect("phases:manage_vision")
    form = VisionVersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        services.vision_version_update(
            version=version, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
        )
        messages.success(request, _("Bozza salvata."))
        return redirect("phases:manage_vision")
    return render(request, "phases/version_form.html", {"form": form, "version": version})


@team_required
@require_POST
def version_open(request, pk: int):
    version = get_object_or_404(VisionVersion, pk=pk)
    form = OpenReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("phases:manage_vision")
    try:
        services.vision_version_open(version=version, actor=request.user, deadline=form.cleaned_data["deadline"])
        messages.success(
            request, _("La versione %(n)s è aperta alle posizioni di sindaci e uffici.") % {"n": version.number}
        )
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("phases:manage_vision")


def _version_transition(request, pk: int, service, success: str, confirmation):
    version = get_object_or_404(VisionVersion, pk=pk)
    if not confirmed(request):
        return confirmation_page(request, confirmation(version))
    try:
        service(version=version, actor=request.user)
        messages.success(request, success % {"n": version.number})
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("phases:manage_vision")


def _close_confirmation(version: VisionVersion) -> Confirmation:
    return Confirmation(
        title=_("Chiudere la consultazione sulla versione %(n)s?") % {"n": version.number},
        consequences=[
            _("Sindaci e uffici non possono più dare né cambiare le loro posizioni sulla versione %(n)s.")
            % {"n": version.number},
            _("Le posizioni date diventano pubbliche: sulle pagine degli obiettivi, dei comuni e negli open data."),
            _("La consultazione non si può riaprire: per una nuova consultazione si crea una nuova versione."),
        ],
        told=[_("Sindaci e uffici lo leggono nella loro pagina delle posizioni (nessuna e-mail).")],
        button=_("Chiudi la consultazione"),
        cancel_url=reverse("phases:manage_vision"),
    )


def _adopt_confirmation(version: VisionVersion) -> Confirmation:
    return Confirmation(
        title=_("Adottare la versione %(n)s della Visione?") % {"n": version.number},
        consequences=[
            _("La versione %(n)s diventa la Visione adottata, mostrata a tutti su /visione/.") % {"n": version.number},
            _("Il suo testo resta com'è per sempre; una modifica richiede una nuova versione."),
        ],
        told=[_("Chiunque visiti /visione/ (nessuna e-mail).")],
        button=_("Adotta la versione"),
        cancel_url=reverse("phases:manage_vision"),
    )


@team_required
@require_POST
def version_close(request, pk: int):
    return _version_transition(
        request,
        pk,
        services.vision_version_close,
        _("Consultazione sulla versione %(n)s chiusa."),
        _close_confirmation,
    )


@team_required
@require_POST
def version_adopt(request, pk: int):
    return _version_transition(
        request, pk, services.vision_version_adopt, _("Versione %(n)s adottata."), _adopt_confirmation
    )


@team_required
def objective_edit(request, pk: int | None = None):
    objective = get_object_or_404(Objective, pk=pk) if pk else Objective()
    initial = {}
    if not pk and (parent_code := request.GET.get("padre")) and CODE_SHAPE.fullmatch(parent_code):
        initial["parent"] = Objective.objects.filter(code=parent_code, level__lt=ObjectiveLevel.SPECIFIC).first()
    form = ObjectiveForm(request.POST or None, instance=objective, initial=initial)
    formset = IndicatorFormSet(request.POST or None, instance=objective, prefix="indicatori")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        objective = services.objective_save(
            objective=form.save(commit=False), indicators_formset=formset, actor=request.user
        )
        messages.success(request, _("Obiettivo %(code)s salvato.") % {"code": objective.code})
        return redirect("phases:manage_vision")
    return render(request, "phases/objective_form.html", {"form": form, "formset": formset, "objective": objective})
