"""Reserved area, PSM team only: editing the text of an informative page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from psm_portal.accounts.permissions import team_required
from psm_portal.pages.forms import SitePageForm
from psm_portal.pages.models import SitePage


@team_required
def page_edit(request, slug: str):
    site_page = get_object_or_404(SitePage, slug=slug)
    form = SitePageForm(request.POST or None, instance=site_page)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited.updated_by = request.user
        edited.save()
        messages.success(request, _("La pagina «%(title)s» è stata aggiornata.") % {"title": edited.title})
        return redirect(edited)
    return render(request, "pages/edit.html", {"form": form, "page": site_page})
