"""The reserved area's proposals: mayors and stakeholders propose projects in phase 2, the PSM team decides."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phases.phases import Feature
from phases.predicates import gate, phase_required
from projects.forms import DecisionForm, ProposalForm
from projects.models import Proposal
from projects.proposal_page import proposal_page
from projects.services.proposals import proposal_accept, proposal_decline, proposal_merge, proposal_submit
from projects.views.common import paginate
from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed


@role_required(Role.MAYOR, Role.STAKEHOLDER, Role.TEAM)
@require_GET
def proposals(request):
    items = Proposal.objects.visible_to(request.user).select_related("proposer", "municipality", "project")
    states = Proposal._meta.get_field("state").choices
    state = request.GET.get("esito", "")
    if state not in {value for value, _label in states}:
        state = ""  # an unknown outcome (a NUL byte too, which PostgreSQL refuses in a query) filters nothing
    if state and request.user.is_team:
        items = items.filter(state=state)
    return render(
        request,
        "projects/proposals.html",
        {
            "page": paginate(request, items),
            "gate": gate(Feature.PROPOSE_PROJECTS),
            "state": state,
            "states": states,
        },
    )


@phase_required(Feature.PROPOSE_PROJECTS)
@require_http_methods(["GET", "POST"])
def proposal_new(request):
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = proposal_submit(
            proposer=request.user,
            title=data["title"],
            description=data["description"],
            municipality=data.get("municipality"),
            estimated_cost=data.get("estimated_cost"),
        )
        messages.success(request, _("Proposta inviata al team PSM. Qui vedrai la sua decisione."))
        return redirect("projects:proposal_detail", pk=proposal.pk)
    return render(request, "projects/proposal_form.html", {"form": form})


@role_required(Role.MAYOR, Role.STAKEHOLDER, Role.TEAM)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("proposer", "municipality", "project"), pk=pk
    )
    form = None
    if request.user.is_team and proposal.is_open:
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if not confirmed(request):
                return confirmation_page(request, _decision_confirmation(request, proposal, form))
            return _decide(request, proposal, form.cleaned_data)
    elif request.method == "POST":
        raise PermissionDenied(_("Solo il team PSM decide sulle proposte, una volta sola."))
    return render(
        request,
        "projects/proposal_detail.html",
        {"proposal": proposal, "form": form, "sections": proposal_page.collect(proposal, request.user)},
    )


def _decision_confirmation(request, proposal: Proposal, form: DecisionForm) -> Confirmation:
    data = form.cleaned_data
    decision = data["decision"]
    if decision == DecisionForm.ACCEPT:
        what = _("La proposta diventa un progetto in bozza dell'ufficio «%(office)s», che lo completerà.") % {
            "office": data["office"].name
        }
    elif decision == DecisionForm.MERGE:
        what = _("La proposta viene unita al progetto «%(project)s».") % {"project": data["project_obj"].title}
    else:
        what = _("La proposta non viene accolta.")
    told = [
        _(
            "%(name)s, che ha proposto: riceve un'e-mail e legge la decisione e la motivazione sulla pagina della proposta."
        )
        % {"name": proposal.proposer.full_name}
    ]
    if decision == DecisionForm.ACCEPT:
        told.append(
            _("L'ufficio «%(office)s», che trova il progetto nel suo elenco.") % {"office": data["office"].name}
        )
    return Confirmation(
        title=_("Decidere la proposta «%(title)s»?") % {"title": proposal.title},
        consequences=[what, _("La decisione è definitiva: una proposta si decide una volta sola.")],
        told=told,
        button=_("Conferma la decisione"),
        cancel_url=reverse("projects:proposal_detail", args=[proposal.pk]),
        carried={name: request.POST.get(name, "") for name in form.fields},
        danger=decision == DecisionForm.DECLINE,
    )


def _decide(request, proposal: Proposal, data: dict):
    decision, reason = data["decision"], (data.get("reason") or "").strip()
    try:
        if decision == DecisionForm.ACCEPT:
            project = proposal_accept(actor=request.user, proposal=proposal, office=data["office"], reason=reason)
            messages.success(request, _("Proposta accolta: è diventata un progetto in bozza dell'ufficio."))
            return redirect(project)
        if decision == DecisionForm.MERGE:
            proposal_merge(actor=request.user, proposal=proposal, project=data["project_obj"], reason=reason)
            messages.success(request, _("Proposta unita al progetto."))
        else:
            proposal_decline(actor=request.user, proposal=proposal, reason=reason)
            messages.success(request, _("Proposta non accolta: il proponente leggerà la motivazione."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("projects:proposal_detail", pk=proposal.pk)
