"""The site's own views, above every app: the home page, the open-data index, the admin's login and ``/healthz``."""

from __future__ import annotations

import logging
import sys

import redis
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from psm_portal import tasks
from psm_portal.celery import app as celery_app
from psm_portal.home import home_context
from psm_portal.lib import opendata

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    try:
        context = home_context(request)
    except (OperationalError, InterfaceError):
        # The database is unreachable: the home page still explains the process, without what is running now
        # (every other page answers 503 then).
        logger.warning("Home page served without the process's state: the database is unreachable", exc_info=True)
        context = {}
    return render(request, "home.html", context)


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


# The probes below catch every exception on purpose: whatever breaks, /healthz answers with the state (a
# load balancer reads it) instead of failing with it.
def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def _cache_state() -> str:
    """Redis holds the sessions and the rate limits: ping it, with a short timeout, when it is configured."""
    if not settings.REDIS_URL:
        return "local"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except Exception:
        return "error"
    finally:
        client.close()
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


def _worker_state(*, cache_state: str) -> dict:
    """The age of the last worker heartbeat (``psm_portal.tasks.heartbeat``, run by Celery beat)."""
    age = None
    if cache_state != "error":
        try:
            age = tasks.heartbeat_age()
        except Exception:
            age = None
    if age is None:
        state = "unknown"
    else:
        state = "ok" if age <= settings.WORKER_HEARTBEAT_STALE_SECONDS else "stale"
    return {"state": state, "heartbeat_age_seconds": None if age is None else round(age)}


@never_cache
@require_GET
def healthz(request):
    """Which dependency works: 503 when the database or Redis (sessions, rate limits) is unreachable, so the
    load balancer stops sending citizens here; 200 "degraded" when only the broker or the worker is behind."""
    cache_state = _cache_state()
    state = {
        "database": _database_state(),
        "cache": cache_state,
        "broker": _broker_state(),
        "worker": _worker_state(cache_state=cache_state),
    }
    failed = [name for name in ("database", "cache", "broker") if state[name] == "error"]
    unusable = "database" in failed or "cache" in failed
    # Without a worker (eager tasks) there is no heartbeat to expect.
    worker_behind = state["worker"]["state"] == "stale" or (
        state["worker"]["state"] == "unknown" and state["broker"] != "eager"
    )
    state["failed"] = failed
    state["status"] = "error" if unusable else ("degraded" if failed or worker_behind else "ok")
    return JsonResponse(state, status=503 if unusable else 200)


# Seconds a client is asked to wait before trying again while the database is unreachable.
DATABASE_DOWN_RETRY_AFTER = 30


def _database_unreachable(exc: BaseException | None) -> bool:
    """True when ``exc``, or an error it was raised from or while handling, says the database is unreachable."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def server_error(request):
    """The site's ``handler500``: a 503 maintenance page when the database is down, Django's 500 page otherwise.

    Django calls it for an exception raised anywhere in the request, in a middleware as in a view, while the
    exception is being handled. The page is a standalone template rendered without the request: no context
    processor, session or user is read, so nothing in it needs the database.
    """
    if not _database_unreachable(sys.exc_info()[1]):
        return defaults.server_error(request)
    # The language from the address alone: the middleware that would set it may not have run.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        response = HttpResponse(loader.get_template("503.html").render({"LANGUAGE_CODE": language}), status=503)
    response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def admin_login(request, extra_context=None):
    """The admin signs in through the portal's own login; a signed-in non-team user is refused, not looped."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied(_("L'amministrazione è riservata al team PSM."))
    return redirect_to_login(request.GET.get("next", "/admin/"))
