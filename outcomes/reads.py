"""Reads of outcomes, both ways, in a number of queries that does not grow with the data (one per kind of input
or target at most): what an input led to, what led to a target, what became of a comune's contributions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, OuterRef, Q, Value

from outcomes.models import Link, Outcome
from outcomes.registry import INPUTS, TARGETS, InputKind


def targets_prefetch(user) -> GenericPrefetch:
    team = getattr(user, "is_team", False)
    return GenericPrefetch("target", [kind.choices() if team else kind.visible() for kind in TARGETS.values()])


def inputs_prefetch(user) -> GenericPrefetch:
    """The inputs ``user`` (None: the public) may read where they led (an input left out reads as None)."""
    return GenericPrefetch("input", [kind.shown(user) for kind in INPUTS.values()])


@dataclass
class Shown:
    """A link as a page shows it: the reason only to those who may read it."""

    link: Link
    kind_label: str
    text: str
    reason: str = ""
    url: str = ""

    @property
    def outcome(self) -> str:
        return self.link.outcome

    @property
    def target(self):
        return self.link.target


def outcomes_of(input, user) -> list[Shown]:
    """What ``input`` led to, as ``user`` may see it (a target the user may not see is left out); 2 queries."""
    return outcomes_by_input(INPUTS[input._meta.label_lower], [input], user).get(input.pk, [])


def _target_url(target) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    return get_url() if get_url else ""


def _may_read_reason(kind: InputKind, obj, user) -> bool:
    return bool(getattr(user, "is_team", False) or (user.is_authenticated and kind.reason_readers(obj, user)))


def inputs_of(target, user) -> list[Shown]:
    """The inputs that led to ``target`` (taken into account or merged), oldest first; one query per kind."""
    return inputs_by_target(type(target), [target], user).get(target.pk, [])


def inputs_by_target(model, targets, user) -> dict[int, list[Shown]]:
    """The inputs that led to each of ``targets`` (of one model), by their id; one query, then one per kind of
    input."""
    links = (
        Link.objects.filter(
            target_type=ContentType.objects.get_for_model(model), target_id__in=[target.pk for target in targets]
        )
        .positive()
        .prefetch_related(inputs_prefetch(user))
    )
    by_target: dict[int, list[Shown]] = {}
    for link in links:
        obj = link.input
        if obj is None:
            continue
        kind = INPUTS[obj._meta.label_lower]
        by_target.setdefault(link.target_id, []).append(
            Shown(
                link=link,
                kind_label=str(kind.label),
                text=kind.describe(obj),
                reason=link.reason,
                url=kind.url(obj, user) if kind.url else "",
            )
        )
    return by_target


@dataclass
class Contribution:
    """One of a comune's contributions with what became of it (no links: still under the team's examination)."""

    kind_label: str
    obj: object
    text: str
    url: str = ""
    shown: list[Shown] = field(default_factory=list)


def _municipality_kinds() -> list[InputKind]:
    return [kind for kind in INPUTS.values() if kind.municipality_field]


def for_municipality(municipality, user) -> list[Contribution]:
    """Every contribution that speaks for ``municipality`` with its outcomes: per kind, one query for the
    inputs and two for their links and targets."""
    contributions: list[Contribution] = []
    for kind in _municipality_kinds():
        queryset = kind.objects().filter(**{kind.municipality_field: municipality})
        if kind.visible_to:
            queryset = kind.visible_to(queryset, user)
        objects = list(queryset)
        if not objects:
            continue
        by_input = outcomes_by_input(kind, objects, user)
        for obj in objects:
            shown = by_input.get(obj.pk, [])
            contributions.append(
                Contribution(
                    kind_label=str(kind.label),
                    obj=obj,
                    text=kind.describe(obj),
                    url=kind.url(obj, user) if kind.url else "",
                    shown=shown,
                )
            )
    return contributions


def outcomes_by_input(kind: InputKind, objects, user) -> dict[int, list[Shown]]:
    """What each of ``objects`` (inputs of one kind) led to, by their id, as ``user`` may see it; two queries."""
    objects = {obj.pk: obj for obj in objects}
    links = Link.objects.for_inputs(kind.model_class(), list(objects)).prefetch_related(targets_prefetch(user))
    by_input: dict[int, list[Shown]] = {}
    for link in links:
        target = link.target
        if link.outcome != Outcome.NOT_TAKEN and target is None:
            continue
        reason = link.reason
        if link.outcome == Outcome.NOT_TAKEN and not _may_read_reason(kind, objects[link.input_id], user):
            reason = ""
        by_input.setdefault(link.input_id, []).append(
            Shown(
                link=link,
                kind_label=str(TARGETS[target._meta.label_lower].label) if target is not None else "",
                text=str(target) if target is not None else "",
                reason=reason,
                url=_target_url(target),
            )
        )
    return by_input


def municipality_summary(municipality) -> list[dict]:
    """Per kind of contribution of a comune: how many were sent, taken into account (or merged), not taken; one
    query for every kind together (a UNION of one aggregate per kind), no reasons (the public page)."""
    kinds = _municipality_kinds()
    parts = []
    for position, kind in enumerate(kinds):
        model = kind.model_class()
        # The content type by a join, not a lookup: the count of queries does not depend on a warm cache.
        links = Link.objects.filter(
            input_type__app_label=model._meta.app_label,
            input_type__model=model._meta.model_name,
            input_id=OuterRef("pk"),
        )
        parts.append(
            model._default_manager.filter(**{kind.municipality_field: municipality})
            .order_by()
            .annotate(position=Value(position))
            .values("position")
            .annotate(
                sent=Count("pk"),
                taken=Count("pk", filter=Q(Exists(links.positive()))),
                not_taken=Count("pk", filter=Q(Exists(links.filter(outcome=Outcome.NOT_TAKEN)))),
            )
            .values_list("position", "sent", "taken", "not_taken")
        )
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    counts = {position: (sent, taken, not_taken) for position, sent, taken, not_taken in rows}
    summary = []
    for position, kind in enumerate(kinds):
        sent, taken, not_taken = counts.get(position, (0, 0, 0))
        if sent:
            summary.append({"label": str(kind.label), "sent": sent, "taken": taken, "not_taken": not_taken})
    return summary
