"""Public pages, open to anybody without signing in: the informative pages (accessibility, privacy, legal notes)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from psm_portal.pages.models import SitePage


@require_GET
def page(request, slug: str):
    site_page = get_object_or_404(SitePage, slug=slug)
    return render(request, "pages/page.html", {"page": site_page})
