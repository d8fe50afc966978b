"""The portal's search, ``/cerca/``: what each part of the portal registered (``psm_portal.lib.search``), grouped by
kind, or one kind's results page by page (``?tipo=``). Open to everybody: each kind shows only what the user may see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from psm_portal.lib.search import matching, overview, search_registry
from psm_portal.pages.forms import SearchForm

PAGE_SIZE = 20
PER_KIND = 5


@require_GET
def search(request):
    kind = None
    if "tipo" in request.GET:
        kind = search_registry.get(request.GET["tipo"])
        if kind is None:
            raise Http404
    asked = "q" in request.GET
    form = SearchForm(request.GET if asked else None)
    context = {"form": form, "kind": kind, "asked": asked, "kinds": search_registry.kinds()}
    if asked and form.is_valid():
        if kind is None:
            groups = overview(request.user, form.terms, per_kind=PER_KIND)
            context.update(mode="overview", groups=groups, total=sum(group["count"] for group in groups))
        else:
            page = Paginator(matching(kind, request.user, form.terms), PAGE_SIZE).get_page(request.GET.get("pagina"))
            context.update(mode="kind", page=page, results=[kind.describe(obj) for obj in page.object_list])
    status = 400 if asked and not form.is_valid() else 200
    return render(request, "pages/search.html", context, status=status)
