"""Demo data of outcomes: beyond the istanze answered (``phases.demo``) and the proposal merged (``projects.demo``),
the team records what a position of Lipari and the questionnaire's first question led to. Idempotent.

The inputs and targets are found through the registry, so this app imports none of theirs."""

from __future__ import annotations

from outcomes.models import Link, Outcome
from outcomes.registry import INPUTS, TARGETS
from outcomes.services import outcome_record
from psm_portal.accounts.models import User

LIPARI = "083041"


def _first(kind_key: str, **filters):
    kind = INPUTS.get(kind_key)
    return kind.objects().filter(**filters).order_by("pk").first() if kind else None


def _objective(code: str):
    kind = TARGETS.get("phases.objective")
    return kind.choices().filter(code=code).first() if kind else None


def seed(stdout) -> None:
    team = User.objects.filter(email="team@demo.psm.local").first()
    if team is None:
        return
    recorded = 0
    choices = [
        (
            _first("phases.position", municipality_id=LIPARI, objective__isnull=False, comment__gt=""),
            "A2.1",
            "La richiesta di attenzione alle isole minori è ripresa nell'obiettivo.",
        ),
        (_first("surveys.question"), "A2.1", "Le risposte hanno orientato le priorità."),
    ]
    for input, code, reason in choices:
        target = _objective(code)
        if input is None or target is None or Link.objects.for_input(input).exists():
            continue
        outcome_record(actor=team, input=input, outcome=Outcome.TAKEN, targets=[target], reason=reason)
        recorded += 1
    stdout.write(f"Esiti dei contributi: {Link.objects.count()} collegamenti ({recorded} nuovi).")
