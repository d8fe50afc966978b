"""Reserved area, PSM team only: the rounds (created, opened and closed after a confirmation), who has answered
(map and tables), the stakeholders' contributions, the priority vocations published and the reference scenario."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipalities.maps import MunicipalityMap, categorical
from municipalities.models import Municipality
from phases.coverage import STATE_PALETTE
from psm_portal.accounts.models import Office
from psm_portal.accounts.permissions import team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from vocations import results, services
from vocations.forms import PriorityForm, RoundForm
from vocations.models import Contribution, Priority, Round, RoundStatus, Scenario


def _round_in_view(rounds: list[Round]) -> Round | None:
    return next((r for r in rounds if r.is_open), None) or next((r for r in rounds if r.is_closed), None)


@team_required
def manage(request):
    rounds = list(Round.objects.all())
    round_ = _round_in_view(rounds)
    context = {
        "rounds": rounds,
        "round": round_,
        "round_form": RoundForm(),
        "scenarios": list(Scenario.objects.all()),
    }
    if round_ is not None:
        shapes = list(Municipality.objects.for_map())
        cover = results.coverage(round_, sorted(shapes, key=lambda m: m.name), list(Office.objects.order_by("name")))
        fills, legend = categorical(cover["states"], {k: STATE_PALETTE[k] for k in ("answered", "none")})
        context.update(
            {
                "coverage": cover,
                "shapes": shapes,
                "map": MunicipalityMap(
                    title=_("Chi ha risposto sulle vocazioni"),
                    description=_(
                        "Ogni comune è colorato secondo lo stato della sua risposta; la tabella riporta gli stessi dati."
                    ),
                    fills=fills,
                    legend=legend,
                    dom_id="mappa-copertura-vocazioni",
                ),
                "contributions": list(Contribution.objects.filter(round=round_).select_related("author", "vocation")),
            }
        )
    # The priorities are published from the latest closed round, even while a new round is open.
    closed = Round.objects.latest_closed()
    context["closed_round"] = closed
    context["priority_form"] = PriorityForm() if closed else None
    context["priorities"] = (
        list(Priority.objects.filter(round=closed).select_related("area", "vocation").order_by("area__order"))
        if closed
        else []
    )
    return render(request, "vocations/manage.html", context)


@team_required
@require_POST
def round_create(request):
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            services.round_create(
                title=form.cleaned_data["title"], deadline=form.cleaned_data["deadline"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Consultazione creata: apritela quando è pronta."))
    else:
        messages.error(request, _("Indicate un titolo e, se volete, un termine valido."))
    return redirect("vocations:manage")


@team_required
@require_POST
def round_open(request, pk: int):
    round_ = get_object_or_404(Round, pk=pk, status=RoundStatus.DRAFT)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Aprire la consultazione «%(title)s»?") % {"title": round_.title},
                consequences=[
                    _("I sindaci valutano ogni vocazione per il loro comune e indicano fino a tre priorità."),
                    _("Gli uffici valutano le vocazioni del loro settore; gli stakeholder possono inviare contributi."),
                    _("L'apertura resta nel registro degli atti."),
                ],
                button=_("Apri la consultazione"),
                cancel_url=reverse("vocations:manage"),
                danger=False,
            ),
        )
    try:
        services.round_open(round_=round_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La consultazione è aperta."))
    return redirect("vocations:manage")


@team_required
@require_POST
def round_close(request, pk: int):
    round_ = get_object_or_404(Round, pk=pk, status=RoundStatus.OPEN)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Chiudere la consultazione «%(title)s»?") % {"title": round_.title},
                consequences=[
                    _("Nessuno potrà più inviare o modificare risposte."),
                    _("I punteggi dei comuni diventano pubblici sulle pagine delle vocazioni e nei dati aperti."),
                    _("La chiusura resta nel registro degli atti."),
                ],
                button=_("Chiudi la consultazione"),
                cancel_url=reverse("vocations:manage"),
            ),
        )
    try:
        services.round_close(round_=round_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La consultazione è chiusa: i risultati sono pubblici."))
    return redirect("vocations:manage")


@team_required
@require_POST
def priorities_publish(request, pk: int):
    round_ = get_object_or_404(Round, pk=pk, status=RoundStatus.CLOSED)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("vocations:manage")
    try:
        services.priorities_publish(
            round_=round_,
            area=form.cleaned_data["area"],
            vocations=form.cleaned_data["vocations"],
            rationale=form.cleaned_data["rationale"],
            evidence=form.cleaned_data["evidence"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vocazioni prioritarie pubblicate."))
    return redirect("vocations:manage")


@team_required
@require_POST
def scenario_reference(request, pk: int):
    scenario = get_object_or_404(Scenario, pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Scegliere «%(title)s» come scenario di riferimento?") % {"title": scenario.title},
                consequences=[
                    _("Il piano si costruisce su questo scenario; un'eventuale scelta precedente è sostituita."),
                    _("La scelta resta nel registro degli atti."),
                ],
                button=_("Scegli lo scenario di riferimento"),
                cancel_url=reverse("vocations:manage"),
            ),
        )
    try:
        services.scenario_choose_reference(scenario=scenario, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Scenario di riferimento registrato."))
    return redirect("vocations:manage")


@team_required
@require_POST
def round_remind(request, pk: int):
    round_ = get_object_or_404(Round, pk=pk, status=RoundStatus.OPEN)
    try:
        services.reminders_enqueue(round_=round_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Promemoria in invio ai sindaci dei comuni che non hanno ancora risposto (al massimo uno al giorno)."),
        )
    return redirect("vocations:manage")
