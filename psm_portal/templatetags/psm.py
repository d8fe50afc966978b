"""The portal's template tags and filters: amounts and numbers the Italian way, the page's ``<title>``, the map
of the comuni, links that change one parameter of the query string."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from psm_portal.lib.money import format_euro, format_number

register = template.Library()


@register.filter
def euro(value) -> str:
    """€ 1.234.567,89"""
    return format_euro(value)


@register.filter
def number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return "—"
    return format_number(value, int(decimals))


@register.filter
def isodate(value) -> str:
    """An ISO date as the plan's snapshots keep it ("2027-06-30") written dd/mm/yyyy; anything else unchanged."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text


@register.filter(is_safe=True)
def with_site_name(page_title: str, site_name: str) -> SafeString:
    """The ``<title>``: "Comuni · Piano Strategico…", or the site name alone when the page gives no title."""
    # The page title arrives rendered (and escaped) by {% filter %}; only the surrounding blanks go.
    page_title = mark_safe(conditional_escape(page_title).strip())
    return format_html("{} · {}", page_title, site_name) if page_title else conditional_escape(site_name)


@register.simple_tag
def render_map(municipality_map, shapes=None):
    return municipality_map.render(shapes)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for sorting and paging links)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
