"""The one question every gated view and form asks: does the active phase allow this now? ``is_open`` answers it,
``gate`` adds the Italian message with the dates, ``phase_required`` decorates a view with it and with the roles
of ``FEATURE_ROLES``."""

from __future__ import annotations

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
from psm_portal.lib.memo import Memo

# The three phases' dates, kept in this process for PHASE_CACHE_SECONDS, since every gated request asks
# for them. A change saved in this process clears them at once; other processes see it within that many seconds.
phase_windows = Memo("phases.windows", lambda: settings.PHASE_CACHE_SECONDS)


def _phase_windows() -> tuple:
    return phase_windows.get_or_load(None, lambda: tuple(Phase.objects.values_list("key", "starts_at", "ends_at")))


post_save.connect(phase_windows.clear, sender=Phase, dispatch_uid="phases.forget_windows.save")
post_delete.connect(phase_windows.clear, sender=Phase, dispatch_uid="phases.forget_windows.delete")


def is_open(feature: str, now=None) -> bool:
    now = now or timezone.now()
    return any(
        starts_at <= now < ends_at and feature in PHASE_FEATURES.get(key, ())
        for key, starts_at, ends_at in _phase_windows()
    )


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
