"""What the home page says about now: the running phase with its dates, what each kind of visitor may do in it,
and this visitor's calls to action, the main one first ("Rispondi al questionario" while one is open).

A fixed number of queries: the phases, the questionnaire open now and the Vision version open for review."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phases.models import VisionVersion
from phases.now import process_now
from phases.phases import Feature, PhaseKey
from phases.predicates import is_open
from phases.services import review_gate
from phases.speakers import speaker_for
from psm_portal.accounts.models import Role
from surveys.models import Questionnaire


@dataclass(frozen=True)
class Action:
    label: str
    url: str


def _role(user) -> str | None:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else None


def _own_actions(user, version) -> list[Action]:
    """What a signed-in participant is asked to do now, most pressing first."""
    role, actions = _role(user), []
    if speaker_for(user) is not None and review_gate(version)[0]:
        actions.append(Action(_("Dai le posizioni sulla Visione"), reverse("phases:my_positions")))
    if role == Role.MAYOR and is_open(Feature.SEND_NEEDS):
        actions.append(Action(_("Invia un'istanza del tuo comune"), reverse("phases:need_create")))
    if role == Role.OFFICE and is_open(Feature.UPLOAD_PORTFOLIO):
        actions.append(Action(_("Aggiorna il parco progettuale"), reverse("projects:office_projects")))
    if role in (Role.MAYOR, Role.STAKEHOLDER) and is_open(Feature.PROPOSE_PROJECTS):
        actions.append(Action(_("Proponi un progetto"), reverse("projects:proposal_create")))
    return actions


# What anybody can read in each phase, when there is nothing to answer.
READ = {
    PhaseKey.LISTENING: (gettext_lazy("Leggi la Visione"), "phases:vision"),
    PhaseKey.AGENDA: (gettext_lazy("Esplora i progetti"), "projects:catalogue"),
    PhaseKey.FINAL: (gettext_lazy("Leggi il piano"), "plan:list"),
}


def home_context(request) -> dict:
    state = process_now()
    version = VisionVersion.objects.open_for_review().first()
    actions = _own_actions(request.user, version)
    if is_open(Feature.ANSWER_QUESTIONNAIRE) and (
        questionnaire := Questionnaire.objects.open_at().order_by("closes_at").first()
    ):
        actions.append(Action(_("Rispondi al questionario"), questionnaire.get_absolute_url()))
    if state.current is not None:
        label, name = READ[state.current.key]
        actions.append(Action(str(label), reverse(name)))
    actions.append(Action(_("Il calendario delle fasi"), reverse("phases:timeline")))
    return {"process": state, "actions": actions, "open_version": version}
