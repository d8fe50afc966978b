"""The published news in the portal's search (``psm_portal.lib.search``): drafts never, not even for the team."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from news.models import News
from psm_portal.lib.search import SearchKind


def _describe(news: News) -> dict:
    return {
        "title": news.title,
        "url": news.get_absolute_url(),
        "meta": _("Notizia del %(date)s") % {"date": date_format(localtime(news.published_at), "SHORT_DATE_FORMAT")},
        "text": news.summary,
    }


NEWS = SearchKind(
    key="notizie",
    label=_("Notizie"),
    fields=("title", "summary", "body"),
    queryset=lambda user: News.objects.published().only("title", "slug", "summary", "published_at"),
    describe=_describe,
)
