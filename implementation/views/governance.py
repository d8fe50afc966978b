"""The governance model: its public page (the model in force, the responsibility table, the versions), the team's
drafts and review acts, and the position of offices and mayors on the version open for review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from implementation import governance
from implementation.forms import (
    GovernanceBodyFormSet,
    GovernanceDraftForm,
    GovernanceOpenForm,
    GovernancePositionForm,
    OfficeReferentFormSet,
)
from implementation.models import GovernanceVersion
from phases import coverage
from phases.diffing import word_diff
from phases.models import DocumentKind, Position, Stance, VisionStatus
from phases.services import (
    position_submit,
    reminders_enqueue,
    review_gate,
    review_version_adopt,
    review_version_close,
    review_version_open,
)
from phases.speakers import speaker_for
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import is_team, role_required, team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text

# --- Public -------------------------------------------------------------------------------------------------------


def _stance_totals(version) -> list[dict]:
    """How many positions of each stance a version received: public once its review is over."""
    counts = dict(Position.objects.for_version(version).values_list("stance").annotate(n=Count("pk")))
    return [{"label": label, "count": counts.get(value, 0)} for value, label in Stance.choices]


@require_GET
def governance_page(request):
    current = governance.adopted()
    versions = list(GovernanceVersion.objects.published().order_by("-number"))
    open_version = next((v for v in versions if v.is_open), None)
    return render(
        request,
        "implementation/governance.html",
        {
            "version": current,
            "versions": versions,
            "open_version": open_version,
            "table": governance.responsibility_table(current),
            "speaker": speaker_for(request.user),
        },
    )


@require_GET
def governance_version(request, number: int):
    visible = GovernanceVersion.objects.all() if is_team(request.user) else GovernanceVersion.objects.published()
    version = get_object_or_404(governance.with_contents(visible), number=number)
    previous = visible.filter(number__lt=number).order_by("-number").only("pk", "kind", "number", "text").first()
    return render(
        request,
        "implementation/governance_version.html",
        {
            "version": version,
            "previous": previous,
            "paragraphs": word_diff(previous.text, version.text) if previous else None,
            "totals": _stance_totals(version)
            if version.status in (VisionStatus.CLOSED, VisionStatus.ADOPTED)
            else None,
        },
    )


# --- Offices and mayors -------------------------------------------------------------------------------------------


@role_required(Role.MAYOR, Role.OFFICE)
@require_http_methods(["GET", "POST"])
def governance_position(request):
    version = governance.with_contents(GovernanceVersion.objects.open_for_review()).first()
    allowed, why = review_gate(version, kind=DocumentKind.GOVERNANCE)
    speaker = speaker_for(request.user)
    existing = (
        Position.objects.for_version(version).filter(speaker.filter(), objective__isnull=True).first()
        if version is not None and speaker is not None
        else None
    )
    initial = {"stance": existing.stance, "comment": existing.comment} if existing else {}
    form = GovernancePositionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not allowed:
            messages.error(request, why)
            return redirect("implementation:governance_position")
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
                return redirect("implementation:governance_position")
    return render(
        request,
        "implementation/governance_position.html",
        {"version": version, "allowed": allowed, "why": why, "form": form, "existing": existing, "speaker": speaker},
    )


# --- The team -------------------------------------------------------------------------------------------------------


@team_required
@require_GET
def governance_manage(request):
    versions = list(GovernanceVersion.objects.annotate(positions_count=Count("positions")).order_by("-number"))
    for version in versions:
        if version.is_draft:
            version.open_form = GovernanceOpenForm(auto_id=f"governance-{version.pk}-%s")
    return render(
        request,
        "implementation/governance_manage.html",
        {
            "versions": versions,
            "statuses": VisionStatus,
            "table": governance.responsibility_table(governance.adopted()),
        },
    )


@team_required
@require_POST
def governance_create(request):
    version = governance.governance_draft_create(actor=request.user)
    messages.success(request, _("Creata la bozza della versione %(n)s.") % {"n": version.number})
    return redirect("implementation:governance_edit", pk=version.pk)


@team_required
@require_http_methods(["GET", "POST"])
def governance_edit(request, pk: int):
    version = get_object_or_404(GovernanceVersion, pk=pk)
    if not version.is_draft:
        messages.error(request, _("Solo una bozza si può modificare: crea una nuova versione."))
        return redirect("implementation:governance_manage")
    data = request.POST if request.method == "POST" else None
    form = GovernanceDraftForm(data, initial={"title": version.title, "text": version.text})
    bodies = GovernanceBodyFormSet(data, instance=version, prefix="organismi")
    referents = OfficeReferentFormSet(data, instance=version, prefix="referenti")
    if data is not None and form.is_valid() and bodies.is_valid() and referents.is_valid():
        try:
            governance.governance_draft_save(
                version=version,
                actor=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                bodies=bodies,
                referents=referents,
            )
        except ValidationError as error:
            messages.error(request, errors_text(error))
        else:
            messages.success(request, _("Bozza salvata."))
        return redirect("implementation:governance_manage")
    return render(
        request,
        "implementation/governance_form.html",
        {"version": version, "form": form, "bodies": bodies, "referents": referents},
    )


def _open_confirmation(version, deadline_text: str, carried: dict) -> Confirmation:
    return Confirmation(
        title=_("Aprire la consultazione sulla versione %(n)s del modello di governance?") % {"n": version.number},
        consequences=[
            _("Il testo, gli organismi e i referenti della versione %(n)s non si potranno più modificare.")
            % {"n": version.number},
            _("Uffici e sindaci potranno dare la loro posizione fino al %(deadline)s.") % {"deadline": deadline_text},
        ],
        told=[_("Tutti i sindaci e il personale degli uffici, per e-mail.")],
        button=_("Apri la consultazione"),
        cancel_url=reverse("implementation:governance_manage"),
        carried=carried,
        danger=False,
    )


@team_required
@require_POST
def governance_open(request, pk: int):
    version = get_object_or_404(GovernanceVersion, pk=pk)
    form = GovernanceOpenForm(request.POST, auto_id=f"governance-{version.pk}-%s")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("implementation:governance_manage")
    deadline = form.cleaned_data["deadline"]
    if not confirmed(request):
        text = formats.date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT")
        return confirmation_page(
            request, _open_confirmation(version, text, {"deadline": request.POST.get("deadline", "")})
        )
    try:
        review_version_open(version=version, actor=request.user, deadline=deadline)
        messages.success(
            request, _("La versione %(n)s è aperta alle posizioni di uffici e sindaci.") % {"n": version.number}
        )
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("implementation:governance_manage")


def _transition(request, pk: int, service, success: str, confirmation: Confirmation):
    version = get_object_or_404(GovernanceVersion, pk=pk)
    if not confirmed(request):
        return confirmation_page(request, confirmation(version))
    try:
        service(version=version, actor=request.user)
        messages.success(request, success % {"n": version.number})
    except ValidationError as error:
        messages.error(request, errors_text(error))
    return redirect("implementation:governance_manage")


def _close_confirmation(version) -> Confirmation:
    return Confirmation(
        title=_("Chiudere la consultazione sulla versione %(n)s del modello di governance?") % {"n": version.number},
        consequences=[
            _("Uffici e sindaci non possono più dare né cambiare le loro posizioni sulla versione %(n)s.")
            % {"n": version.number},
            _("Il numero di posizioni per tipo diventa pubblico sulla pagina della versione."),
            _("La consultazione non si può riaprire: per una nuova consultazione si crea una nuova versione."),
        ],
        told=[_("Uffici e sindaci lo leggono nella pagina della loro posizione (nessuna e-mail).")],
        button=_("Chiudi la consultazione"),
        cancel_url=reverse("implementation:governance_manage"),
    )


def _adopt_confirmation(version) -> Confirmation:
    return Confirmation(
        title=_("Adottare la versione %(n)s del modello di governance?") % {"n": version.number},
        consequences=[
            _(
                "La versione %(n)s diventa il modello di governance in vigore, mostrato a tutti su /attuazione/governance/."
            )
            % {"n": version.number},
            _("Il suo testo, gli organismi e i referenti restano come sono per sempre."),
        ],
        told=[_("Chiunque visiti la pagina del modello di governance (nessuna e-mail).")],
        button=_("Adotta la versione"),
        cancel_url=reverse("implementation:governance_manage"),
    )


@team_required
@require_POST
def governance_close(request, pk: int):
    return _transition(
        request, pk, review_version_close, _("Consultazione sulla versione %(n)s chiusa."), _close_confirmation
    )


@team_required
@require_POST
def governance_adopt(request, pk: int):
    return _transition(request, pk, review_version_adopt, _("Versione %(n)s adottata."), _adopt_confirmation)


@team_required
@require_POST
def governance_remind(request):
    """Remind the mayors whose comune has not answered the open version: the Vision's reminders, at most one e-mail
    a day per mayor (whatever the document)."""
    version = GovernanceVersion.objects.open_for_review().first()
    allowed, why = review_gate(version, kind=DocumentKind.GOVERNANCE)
    if not allowed:
        messages.error(request, why)
        return redirect("implementation:governance_manage")
    reminders_enqueue(version=version, actor=request.user)
    messages.success(
        request,
        _(
            "Promemoria in invio ai sindaci dei comuni che non hanno ancora risposto (al massimo uno al giorno per sindaco)."
        ),
    )
    return redirect("implementation:governance_positions", pk=version.pk)


@team_required
@require_GET
def governance_positions(request, pk: int):
    version = get_object_or_404(GovernanceVersion.objects.published(), pk=pk)
    positions = list(
        Position.objects.for_version(version)
        .select_related("municipality", "office")
        .order_by("office__name", "municipality__name", "pk")
    )
    offices = coverage.office_rows(version, 1)
    for row in offices:
        row["label"] = coverage.STATE_LABELS[row["state"]]
    return render(
        request,
        "implementation/governance_positions.html",
        {
            "version": version,
            "positions": positions,
            "offices": offices,
            "participation": coverage.live_participation(version),
            "totals": _stance_totals(version),
            "remind": version.is_open and review_gate(version)[0],
        },
    )
