"""The site's own views, above every app: the home page, the open-data index, the admin's login and ``/healthz``."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from psm_portal.celery import app as celery_app
from psm_portal.lib import opendata


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def opendata_index(request):
    return render(
        request,
        "opendata.html",
        {
            "datasets": opendata.catalogue.available(),
            "licence_name": opendata.LICENCE_NAME,
            "licence_url": opendata.LICENCE_URL,
        },
    )


# The two probes below catch every exception on purpose: whatever breaks, /healthz answers with the state (a
# load balancer reads it) instead of failing with it.
def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def _broker_state() -> str:
    if celery_app.conf.task_always_eager:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 when the portal can serve requests (the database answers), 503 otherwise."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = state["database"] == "ok"
    state["status"] = "ok" if healthy and state["broker"] != "error" else ("degraded" if healthy else "error")
    return JsonResponse(state, status=200 if healthy else 503)


def admin_login(request, extra_context=None):
    """The admin signs in through the portal's own login; a signed-in non-team user is refused, not looped."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied(_("L'amministrazione è riservata al team PSM."))
    return redirect_to_login(request.GET.get("next", "/admin/"))
