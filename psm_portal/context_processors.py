"""What every page's template gets: the plan's title and years, the main menu and the language switcher."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from psm_portal.navigation import main_menu


def portal(request) -> dict:
    current = get_language() or settings.LANGUAGE_CODE
    languages = [
        {"code": code, "name": name, "url": translate_url(request.get_full_path(), code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    return {
        "PLAN_TITLE": settings.PSM_PLAN_TITLE,
        "PLAN_YEARS": settings.PSM_PLAN_YEARS,
        "main_menu": main_menu(request.path),
        "languages": languages,
        "current_language": current,
    }
