"""Public pages of news: /notizie/ (paginated, constant queries), a news item, its image."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from municipalities.models import Municipality
from news.models import News
from phases.models import Objective
from projects.models import Project
from psm_portal.lib.uploads import serve_private_file

PAGE_SIZE = 10


@require_GET
def news_list(request):
    news = News.objects.published().newest_first().only("title", "slug", "summary", "published_at", "image")
    page = Paginator(news, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "news/list.html", {"page": page})


@require_GET
def news_detail(request, slug: str):
    news = get_object_or_404(
        News.objects.visible_to(request.user).prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.in_tree_order().only("code", "title", "sort_key")),
            Prefetch("projects", queryset=Project.objects.published().order_by("title").only("title")),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name").only("istat_code", "name")),
        ),
        slug=slug,
    )
    return render(request, "news/detail.html", {"news": news})


@require_GET
def news_image(request, slug: str):
    news = get_object_or_404(News.objects.visible_to(request.user), slug=slug)
    if not news.image:
        raise Http404
    response = serve_private_file(news.image, news.image.name)
    # A picture is shown in the page, not downloaded; a published one may be cached like the page.
    response["Content-Disposition"] = "inline"
    if news.is_published:
        response["Cache-Control"] = "public, max-age=3600"
    return response
