"""The portal's URLs plus ``/bench/bare/``: a POST that does one INSERT and nothing else."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (payload) VALUES (%s)", [request.POST.get("payload", "")])
    return HttpResponse("ok", status=201)


from psm_portal.urls import urlpatterns as portal  # noqa: E402

urlpatterns = [path("bench/bare/", bare_insert), *portal]
