"""Which models may be inputs (contributions) and targets (what they led to), registered by the apps that own
them from their ``AppConfig.ready()``; this app never imports them.

An input kind says how to describe it, which comune it speaks for (the mayor's page, the comune's summary) and who
may read a «non accolta» reason (its proposer only); a target kind gives the choices of the team's widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class InputKind:
    model: str  # "phases.need"
    label: str  # "Istanza", already translated lazily
    describe: Callable[[Model], str] = str
    queryset: Callable[[], QuerySet] | None = None  # what the pages read the inputs with (select_related…)
    municipality_field: str = ""  # the comune an input speaks for, when it has one
    reason_readers: Callable[[Model, object], bool] = field(default=lambda obj, user: False)
    url: Callable[[Model, object], str] | None = None  # the input's page for this user, or ""
    visible_to: Callable[[QuerySet, object], QuerySet] | None = None  # which of a comune's the user may list
    # Which the user (None: the public, the PDF) may read on the page of what they led to; default: all.
    shown_to: Callable[[QuerySet, object], QuerySet] | None = None

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def objects(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model_class()._default_manager.all()

    def shown(self, user) -> QuerySet:
        return self.shown_to(self.objects(), user) if self.shown_to else self.objects()


@dataclass(frozen=True)
class TargetKind:
    model: str  # "phases.objective"
    label: str
    choices: Callable[[], QuerySet]  # what the team may pick
    public: Callable[[], QuerySet] | None = None  # what everybody may see (else: ``choices``)

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def visible(self) -> QuerySet:
        return (self.public or self.choices)()


INPUTS: dict[str, InputKind] = {}
TARGETS: dict[str, TargetKind] = {}


def register_input(kind: InputKind) -> None:
    INPUTS[kind.model] = kind


def register_target(kind: TargetKind) -> None:
    TARGETS[kind.model] = kind


def input_kind(obj_or_model) -> InputKind:
    return INPUTS[obj_or_model._meta.label_lower]


def target_kind(obj_or_model) -> TargetKind:
    return TARGETS[obj_or_model._meta.label_lower]
