"""The review of the development scenarios: the team's drafts and acts (open, close, remind) from the vocations
reserved area, a version's public page, and the position of offices and mayors on the version open for review —
the Vision's mechanism (``phases.services``) for versions of kind ``scenarios`` (``vocations.review``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phases import coverage
from phases.models import DocumentKind, Position, VisionStatus
from phases.services import position_submit, reminders_enqueue, review_gate, review_version_close, review_version_open
from phases.speakers import speaker_for
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team, role_required, team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text
from vocations import review
from vocations.forms import ScenarioPositionForm, ScenarioReviewDraftForm, ScenarioReviewOpenForm
from vocations.models import ScenarioReview

MANAGE = "vocations:scenario_review_manage"


@require_GET
def review_version(request, number: int):
    visible = ScenarioReview.objects.all() if is_team(request.user) else ScenarioReview.objects.published()
    version = get_object_or_404(visible, number=number)
    reviewed = version.status in (VisionStatus.CLOSED, VisionStatus.ADOPTED)
    return render(
        request,
        "vocations/scenario_review_version.html",
        {"version": version, "totals": review.stance_totals(version) if reviewed else None},
    )


@role_required(Role.MAYOR, Role.OFFICE)
@require_http_methods(["GET", "POST"])
def position(request):
    version = ScenarioReview.objects.open_for_review().first()
    allowed, why = review_gate(version, kind=DocumentKind.SCENARIOS)
    speaker = speaker_for(request.user)
    existing = (
        Position.objects.for_version(version).filter(speaker.filter(), objective__isnull=True).first()
        if version is not None and speaker is not None
        else None
    )
    initial = {"stance": existing.stance, "comment": existing.comment} if existing else {}
    form = ScenarioPositionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not allowed:
            messages.error(request, why)
            return redirect("vocations:scenario_position")
        if form.is_valid():
            try:
                position_submit(
                    version=version,
                    user=request.user,
                    objective=None,
                    stance=form.cleaned_data["stance"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Posizione salvata: puoi cambiarla fino al termine."))
                return redirect("vocations:scenario_position")
    return render(
        request,
        "vocations/scenario_position.html",
        {"version": version, "allowed": allowed, "why": why, "form": form, "existing": existing, "speaker": speaker},
    )


# --- The team -------------------------------------------------------------------------------------------------------


@team_required
@require_GET
def manage(request):
    versions = list(ScenarioReview.objects.annotate(positions_count=Count("positions")).order_by("-number"))
    for version in versions:
        if version.is_draft:
            version.open_form = ScenarioReviewOpenForm(auto_id=f"scenari-{version.pk}-%s")
    return render(request, "vocations/scenario_review_manage.html", {"versions": versions})


@team_required
@require_POST
def create(request):
    version = review.draft_create(actor=request.user)
    messages.success(request, _("Creata la bozza della versione %(n)s.") % {"n": version.number})
    return redirect("vocations:scenario_review_edit", pk=version.pk)


@team_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    version = get_object_or_404(ScenarioReview, pk=pk)
    if not version.is_draft:
        messages.error(request, _("Solo una bozza si può modificare: crea una nuova versione."))
        return redirect(MANAGE)
    form = ScenarioReviewDraftForm(request.POST or None, initial={"title": version.title, "text": version.text})
    if request.method == "POST" and form.is_valid():
        try:
            review.draft_save(version=version, title=form.cleaned_data["title"], text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, errors_text(error))
        else:
            messages.success(request, _("Bozza salvata."))
        return redirect(MANAGE)
    return render(request, "vocations/scenario_review_form.html", {"version": version, "form": form})


@team_required
@require_POST
def open_review(request, pk: int):
    version = get_object_or_404(ScenarioReview, pk=pk)
    form = ScenarioReviewOpenForm(request.POST, auto_id=f"scenari-{version.pk}-%s")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(MANAGE)
    deadline = form.cleaned_data["deadline"]
    if not confirmed(request):
        text = formats.date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT")
        return confirmation_page(
            request,
            Confirmation(
                title=_("Aprire la consultazione sulla versione %(n)s degli scenari di sviluppo?")
                % {"n": version.number},
                consequences=[
                    _("Il testo della versione %(n)s non si potrà più modificare.") % {"n": version.number},
                    _("Uffici e sindaci potranno dare la loro posizione fino al %(deadline)s.") % {"deadline": text},
                ],
                told=[_("Tutti i sindaci e il personale degli uffici, per e-mail.")],
                button=_("Apri la consultazione"),
                cancel_url=reverse(MANAGE),
                carried={"deadline": request.POST.get("deadline", "")},
                danger=False,
            ),
        )
    try:
        review_version_open(version=version, actor=request.user, deadline=deadline)
        messages.success(
            request, _("La versione %(n)s è aperta alle posizioni di uffici e sindaci.") % {"n": version.number}
        )
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect(MANAGE)


@team_required
@require_POST
def close_review(request, pk: int):
    version = get_object_or_404(ScenarioReview, pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Chiudere la consultazione sulla versione %(n)s degli scenari di sviluppo?")
                % {"n": version.number},
                consequences=[
                    _("Uffici e sindaci non possono più dare né cambiare le loro posizioni sulla versione %(n)s.")
                    % {"n": version.number},
                    _("Il numero di posizioni per tipo diventa pubblico sulla pagina degli scenari."),
                    _("La consultazione non si può riaprire: per una nuova consultazione si crea una nuova versione."),
                ],
                told=[_("Uffici e sindaci lo leggono nella pagina della loro posizione (nessuna e-mail).")],
                button=_("Chiudi la consultazione"),
                cancel_url=reverse(MANAGE),
            ),
        )
    try:
        review_version_close(version=version, actor=request.user)
        messages.success(request, _("Consultazione sulla versione %(n)s chiusa.") % {"n": version.number})
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect(MANAGE)


@team_required
@require_POST
def remind(request):
    """Remind the mayors whose comune has not answered the open version (at most one e-mail a day per mayor)."""
    version = ScenarioReview.objects.open_for_review().first()
    allowed, why = review_gate(version, kind=DocumentKind.SCENARIOS)
    if not allowed:
        messages.error(request, why)
        return redirect(MANAGE)
    reminders_enqueue(version=version, actor=request.user)
    messages.success(
        request,
        _(
            "Promemoria in invio ai sindaci dei comuni che non hanno ancora risposto (al massimo uno al giorno per sindaco)."
        ),
    )
    return redirect("vocations:scenario_review_positions", pk=version.pk)


@team_required
@require_GET
def positions(request, pk: int):
    version = get_object_or_404(ScenarioReview.objects.published(), pk=pk)
    rows = list(
        Position.objects.for_version(version)
        .select_related("municipality", "office")
        .order_by("office__name", "municipality__name", "pk")
    )
    offices = coverage.office_rows(version, 1)
    for row in offices:
        row["label"] = coverage.STATE_LABELS[row["state"]]
    return render(
        request,
        "vocations/scenario_review_positions.html",
        {
            "version": version,
            "positions": rows,
            "offices": offices,
            "participation": coverage.live_participation(version),
            "totals": review.stance_totals(version),
            "remind": version.is_open and review_gate(version)[0],
        },
    )
