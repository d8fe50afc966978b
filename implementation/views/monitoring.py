"""Bulk reporting from a monitoring file: upload, preview (nothing written), then every row as a report or none.

The preview's checked rows travel to the write signed (for this user and cycle, for an hour), so the file is read
once; ``implementation.importer.import_reports`` checks each row again through ``report_submit`` as it writes."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from implementation.forms import MonitoringImportForm
from implementation.importer import import_reports, read_reports
from implementation.models import ReportingCycle
from phases.phases import Feature
from phases.predicates import phase_required
from psm_portal.lib.forms import errors_text

SALT = "implementation.monitoring-import"
TOKEN_SECONDS = 3600
TOKEN_FIELD = "righe"


def _stale(request):
    messages.error(request, _("L'anteprima non è più valida: caricate di nuovo il file."))
    return redirect("implementation:report_import")


def _write(request):
    try:
        payload = signing.loads(request.POST[TOKEN_FIELD], salt=SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return _stale(request)
    cycle = ReportingCycle.objects.started().filter(pk=payload.get("c")).first()
    if payload.get("u") != request.user.pk or cycle is None:
        return _stale(request)
    try:
        reports = import_reports(user=request.user, cycle=cycle, rows=payload["r"])
    except ValidationError as error:
        messages.error(request, errors_text(error))
        return redirect("implementation:report_import")
    messages.success(
        request,
        ngettext(
            "%(n)s rilevazione inviata: il team PSM la verificherà.",
            "%(n)s rilevazioni inviate: il team PSM le verificherà.",
            len(reports),
        )
        % {"n": len(reports)},
    )
    return redirect(f"{reverse('implementation:office')}?ciclo={cycle.pk}")


@phase_required(Feature.REPORT_PROGRESS)
@require_http_methods(["GET", "POST"])
def report_import(request):
    if request.method == "POST" and TOKEN_FIELD in request.POST:
        return _write(request)
    form = MonitoringImportForm(request.POST or None, request.FILES or None)
    preview = token = None
    if request.method == "POST" and form.is_valid():
        cycle = form.cleaned_data["cycle"]
        preview = read_reports(form.cleaned_data["file"].read(), user=request.user, cycle=cycle)
        if preview.ok:
            rows = [row.as_dict() for row in preview.rows]
            token = signing.dumps({"u": request.user.pk, "c": cycle.pk, "r": rows}, salt=SALT, compress=True)
    return render(
        request,
        "implementation/import.html",
        {"form": form, "preview": preview, "token": token, "token_field": TOKEN_FIELD},
    )
