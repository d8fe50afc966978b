"""The open-data files of the vocations and the scenarios (public, no sign-in)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from vocations.opendata import scenarios_download, vocations_download


@require_GET
def vocations_csv(request):
    return vocations_download()


@require_GET
def scenarios_csv(request):
    return scenarios_download()
