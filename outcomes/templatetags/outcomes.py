"""Template helpers of outcomes: ``{{ informed|outcomes_for:question.pk }}`` reads what one input led to from
the dict a view built with ``outcomes.reads.outcomes_by_input``."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def outcomes_for(by_input: dict, pk) -> list:
    return (by_input or {}).get(pk, [])
