"""The working tables' published minutes in the portal's search (``psm_portal.lib.search``): drafts never."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.search import SearchKind
from tables.models import Session


def _describe(session: Session) -> dict:
    return {
        "title": session.title,
        "url": session.get_absolute_url(),
        "meta": _("Verbale della seduta del %(date)s")
        % {"date": date_format(localtime(session.starts_at), "SHORT_DATE_FORMAT")},
        "text": strip_tags(session.minutes_html),
    }


MINUTES = SearchKind(
    key="verbali",
    label=_("Verbali dei tavoli di lavoro"),
    fields=("title", "minutes_html"),
    queryset=lambda user: Session.objects.with_published_minutes().only("title", "starts_at", "minutes_html"),
    describe=_describe,
)
