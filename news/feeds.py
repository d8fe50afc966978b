"""The Atom feed of the published news (django.contrib.syndication), announced in every page's head."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from news.models import News

FEED_SIZE = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Notizie del Piano Strategico Metropolitano di Messina")
    subtitle = _("Le notizie pubblicate dal team del Piano Strategico Metropolitano.")
    # Atom (RFC 4287) wants an author for the feed or for every entry.
    author_name = "Città Metropolitana di Messina"

    def link(self) -> str:
        return reverse("news:list")

    def feed_url(self) -> str:
        return reverse("news:feed")

    def items(self):
        return News.objects.published().newest_first()[:FEED_SIZE]

    def item_title(self, item: News) -> str:
        return item.title

    def item_description(self, item: News) -> str:
        return item.summary

    def item_pubdate(self, item: News):
        return item.published_at

    def item_updateddate(self, item: News):
        return item.updated_at
