"""What can be followed, and what a signed-in user's own areas are: registries that higher apps fill.

Subscriptions sit below the apps that know the objectives and the offices' projects, so those apps register here
(from their ``AppConfig.ready()``) the choices of a topic and the areas of a user; the comuni are known here."""

from __future__ import annotations

from collections.abc import Callable

from municipalities.models import Municipality
from psm_portal.accounts.models import Role
from subscriptions.models import Topic

ChoicesProvider = Callable[[], list[tuple[str, str]]]
AreasProvider = Callable[[object], list[tuple[str, str]]]

_choices: dict[str, ChoicesProvider] = {}
_areas: list[AreasProvider] = []


def register_choices(topic: str, provider: ChoicesProvider) -> None:
    """``provider()`` returns the (key, label) pairs one may follow under ``topic``."""
    _choices[topic] = provider


def register_areas(provider: AreasProvider) -> None:
    """``provider(user)`` returns the (topic, key) pairs that are the user's own areas."""
    if provider not in _areas:
        _areas.append(provider)


def comune_choices() -> list[tuple[str, str]]:
    return list(Municipality.objects.order_by("name").values_list("istat_code", "name"))


register_choices(Topic.COMUNE, comune_choices)


def choices(topic: str) -> list[tuple[str, str]]:
    provider = _choices.get(topic)
    return provider() if provider else []


def own_areas(user) -> list[tuple[str, str]]:
    """The news, a mayor's comune and whatever the higher apps say is the user's (an office's objectives)."""
    areas = [(Topic.NEWS.value, "")]
    if user.role == Role.MAYOR and user.municipality_id:
        areas.append((Topic.COMUNE.value, user.municipality_id))
    for provider in _areas:
        areas.extend(provider(user))
    return list(dict.fromkeys(areas))
