"""The published questionnaires in the portal's search (``psm_portal.lib.search``): title and introduction."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.search import SearchKind
from surveys.models import Questionnaire


def _describe(questionnaire: Questionnaire) -> dict:
    dates = {
        "opens": date_format(localtime(questionnaire.opens_at), "SHORT_DATE_FORMAT"),
        "closes": date_format(localtime(questionnaire.closes_at), "SHORT_DATE_FORMAT"),
    }
    return {
        "title": questionnaire.title,
        "url": questionnaire.get_absolute_url(),
        "meta": _("Questionario, dal %(opens)s al %(closes)s") % dates,
        "text": questionnaire.introduction,
    }


QUESTIONNAIRES = SearchKind(
    key="questionari",
    label=_("Questionari"),
    fields=("title", "introduction"),
    queryset=lambda user: Questionnaire.objects.published().only(
        "title", "slug", "introduction", "opens_at", "closes_at"
    ),
    describe=_describe,
)
