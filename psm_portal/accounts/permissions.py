"""Who may open what: the role checks every view of the reserved area uses."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from psm_portal.accounts.models import Role


def role_required(*roles: str):
    """Signed-in users of the given roles only; others get a 403 page that says why."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles and not request.user.is_superuser:
                raise PermissionDenied(_("Questa pagina è riservata ad altri ruoli."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


team_required = role_required(Role.TEAM)


def is_team(user) -> bool:
    """The PSM team (or a superuser); False for anonymous visitors."""
    return getattr(user, "is_team", False)
