"""The team's reserved pages of news: the list of drafts and published items, writing, publishing (confirmed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from news.forms import NewsForm
from news.models import News
from news.services import news_publish, news_save, news_unpublish
from psm_portal.accounts.permissions import team_required
from psm_portal.lib.confirm import Confirmation, confirmation_page, confirmed
from psm_portal.lib.forms import errors_text

PAGE_SIZE = 25


@team_required
@require_GET
def news_manage(request):
    news = News.objects.order_by("status", "-published_at", "-updated_at", "-pk").only(
        "title", "slug", "status", "published_at", "updated_at"
    )
    page = Paginator(news, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "news/manage.html", {"page": page})


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@team_required
@require_http_methods(["GET", "POST"])
def news_edit(request, pk: int | None = None):
    news = get_object_or_404(News, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = NewsForm(request.POST, request.FILES, news=news)
        if form.is_valid():
            data = form.cleaned_data
            try:
                news = news_save(
                    user=request.user,
                    news=news,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    image=data.get("image") or None,
                    image_alt=data["image_alt"],
                    remove_image=data.get("remove_image", False),
                    objectives=data["objectives"],
                    projects=data["projects"],
                    municipalities=data["municipalities"],
                )
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, _("Notizia salvata."))
                return redirect("news:edit", pk=news.pk)
    else:
        form = NewsForm(initial=NewsForm.initial_for(news) if news else None, news=news)
    return render(request, "news/form.html", {"form": form, "news": news})


@team_required
@require_POST
def news_publish_view(request, pk: int):
    news = get_object_or_404(News, pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=_("Pubblicare la notizia «%(title)s»?") % {"title": news.title},
                consequences=[
                    _("La notizia compare su /notizie/ e nel feed Atom, visibile a tutti."),
                    _(
                        "Entra nel prossimo riepilogo e-mail degli iscritti alle notizie e ai comuni e obiettivi collegati."
                    ),
                ],
                told=[_("gli iscritti agli aggiornamenti, nel riepilogo settimanale")],
                button=_("Pubblica la notizia"),
                cancel_url=reverse("news:edit", args=[news.pk]),
                danger=False,
            ),
        )
    try:
        news_publish(user=request.user, news=news)
    except ValidationError as error:
        messages.error(request, errors_text(error))
        return redirect("news:edit", pk=news.pk)
    messages.success(request, _("Notizia pubblicata."))
    return redirect(news.get_absolute_url())


@team_required
@require_POST
def news_unpublish_view(request, pk: int):
    news = get_object_or_404(News, pk=pk)
    try:
        news_unpublish(user=request.user, news=news)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Notizia ritirata: è tornata in bozza."))
    return redirect("news:edit", pk=news.pk)
