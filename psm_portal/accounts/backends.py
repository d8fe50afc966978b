"""The authentication backend: e-mail login, and every admin permission for the PSM team."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """E-mail login; the PSM team holds every permission of Django's admin.

    Other roles get no model permission at all: what they may do is decided by
    the portal's own views, not by the admin.
    """

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_team", False):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_team", False):
            return True
        return super().has_module_perms(user_obj, app_label)
