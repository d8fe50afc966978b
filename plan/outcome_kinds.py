"""What the draft's discussion gives outcomes (registered by ``PlanConfig.ready``): a comune's or an office's
comment on the preliminary proposal is an input; the team records what it led to from the discussion."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outcomes.registry import InputKind, register_input
from plan.models import PlanComment
from plan.readers import COUNCIL_READERS


def _text(comment: PlanComment) -> str:
    body = comment.body if len(comment.body) <= 120 else f"{comment.body[:117]}…"
    return f"{comment.municipality or comment.office} ({comment.get_section_display()}): «{body}»"


def _url(comment: PlanComment, user) -> str:
    if not user.is_authenticated:
        return ""
    return reverse("plan:discussion_section", args=[comment.section]) + f"#{comment.thread_key}"


def _shown_to(queryset, user):
    """The discussion's threads are reserved: the team, the council and its secretary read them all, a comune or an
    office its own thread; the public (and the plan PDFs) none."""
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    if role in COUNCIL_READERS or getattr(user, "is_team", False):
        return queryset
    participant = PlanComment.participant_of(user) if role else None
    return queryset.filter(**participant) if participant else queryset.none()


def register() -> None:
    register_input(
        InputKind(
            model="plan.plancomment",
            label=_("Commento alla proposta preliminare"),
            describe=_text,
            queryset=lambda: PlanComment.objects.filter(from_team=False).select_related("municipality", "office"),
            municipality_field="municipality",
            reason_readers=lambda comment, user: (
                (
                    comment.municipality_id is not None
                    and getattr(user, "municipality_id", None) == comment.municipality_id
                )
                or (comment.office_id is not None and getattr(user, "office_id", None) == comment.office_id)
            ),
            url=_url,
            shown_to=_shown_to,
        )
    )
