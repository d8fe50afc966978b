"""The one question every gated view and form asks: does the active phase allow this now?"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from phases.models import Phase
from phases.phases import CITIZEN, FEATURE_ROLES, PHASE_FEATURES, Feature, phases_opening
from psm_portal.accounts.permissions import role_required

# (read at, ((key, starts_at, ends_at), ...)): the three phases' dates, kept in this process for
# PHASE_CACHE_SECONDS, since every gated request asks for them. A change saved in this process
# clears it at once; other processes see it within that many seconds.
_WINDOWS: list[tuple[float, tuple]] = []


def _phase_windows() -> tuple:
    ttl = settings.PHASE_CACHE_SECONDS
    now = time.monotonic()
    if ttl > 0 and _WINDOWS and now - _WINDOWS[0][0] < ttl:
        return _WINDOWS[0][1]
    windows = tuple(Phase.objects.values_list("key", "starts_at", "ends_at"))
    _WINDOWS[:] = [(now, windows)] if ttl > 0 else []
    return windows


def forget_phase_windows(**_kwargs) -> None:
    _WINDOWS.clear()


post_save.connect(forget_phase_windows, sender=Phase, dispatch_uid="phases.forget_windows.save")
post_delete.connect(forget_phase_windows, sender=Phase, dispatch_uid="phases.forget_windows.delete")


def is_open(feature: str, now=None) -> bool:
    now = now or timezone.now()
    return any(
        starts_at <= now < ends_at and feature in PHASE_FEATURES.get(key, ())
        for key, starts_at, ends_at in _phase_windows()
    )


def allowed_for(user, feature: str, now=None) -> bool:
    """The feature is open now and the user's role takes part in it (anybody, for citizens' features)."""
    if not is_open(feature, now):
        return False
    roles = FEATURE_ROLES.get(feature, frozenset())
    if CITIZEN in roles:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in roles


@dataclass(frozen=True)
class Gate:
    feature: str
    open: bool
    message: str


def gate(feature: str, now=None) -> Gate:
    """Whether ``feature`` is open, and if not an Italian message with the dates that open it."""
    now = now or timezone.now()
    if is_open(feature, now):
        return Gate(feature, True, "")
    label = Feature(feature).label
    phases = list(Phase.objects.filter(key__in=phases_opening(feature)).order_by("starts_at"))
    upcoming = [p for p in phases if p.starts_at > now]
    if upcoming:
        phase = upcoming[0]
        message = _("Ora non è possibile %(action)s: si potrà nella fase «%(phase)s», dal %(start)s al %(end)s.")
    elif phases:
        phase = phases[-1]
        message = _(
            "Non è più possibile %(action)s: la fase «%(phase)s» si è chiusa il %(end)s (era aperta dal %(start)s)."
        )
    else:
        return Gate(feature, False, _("Ora non è possibile %(action)s.") % {"action": label})
    return Gate(
        feature,
        False,
        message
        % {
            "action": label,
            "phase": phase.name,
            "start": date_format(timezone.localtime(phase.starts_at), "SHORT_DATE_FORMAT"),
            "end": date_format(timezone.localtime(phase.ends_at), "SHORT_DATE_FORMAT"),
        },
    )


def phase_required(feature: str):
    """A view decorator: only the roles of ``FEATURE_ROLES`` (anybody, for citizens' features) and, when
    the feature is closed, a page that explains when it opens (status 403)."""
    roles = FEATURE_ROLES[feature]

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            status = gate(feature)
            if not status.open:
                return render(request, "phases/closed.html", {"gate": status}, status=403)
            return view(request, *args, **kwargs)

        # Who takes part is declared once, in phases.phases: the role check comes first, as before.
        return wrapper if CITIZEN in roles else role_required(*roles)(wrapper)

    return decorator
