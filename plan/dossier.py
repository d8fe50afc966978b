"""The council's dossier: everything a councillor reads about the final version under examination, on one page,
in a number of queries that does not grow with the projects, the actions or the contributions."""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum

from phases.models import Need, Position
from plan.models import Amendment, AmendmentState, Examination, PlanComment
from projects.models import AgendaAction, Project
from surveys.models import Questionnaire

PROJECTS_PER_PAGE = 100


def plan_projects(page_number) -> dict:
    """The projects of the plan (the published ones) with their amounts, a page of them, with count and total."""
    projects = Project.objects.published().select_related("office").order_by("title", "pk")
    page = Paginator(
        projects.only("pk", "title", "cup", "total_cost", "planned_start", "office__name"), PROJECTS_PER_PAGE
    ).get_page(page_number)
    total = projects.aggregate(total=Sum("total_cost"))["total"] or Decimal("0")
    return {"page": page, "total": total}


def agenda_actions(examination: Examination) -> list[AgendaAction]:
    """The actions of the agenda under examination, in order, with their offices."""
    if examination.agenda_id is None:
        return []
    return list(
        AgendaAction.objects.filter(agenda_id=examination.agenda_id)
        .select_related("agenda", "responsible_office", "objective")
        .only(
            "pk",
            "position",
            "title",
            "start_quarter",
            "due_quarter",
            "budget",
            "status",
            "agenda__year",
            "responsible_office__name",
            "objective__code",
        )  # fmt: skip
        .in_order()
    )


def amendment_counts(examination: Examination) -> dict[str, int]:
    """How many amendments are in each state (one query)."""
    rows = examination.amendments.values("state").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(AmendmentState.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    counts["total"] = sum(counts.values())
    return counts


def process_summary() -> dict:
    """What the process produced, counted: positions, istanze and replies, questionnaires, the draft's discussion."""
    positions = Position.objects.on_vision().aggregate(
        total=Count("pk"),
        municipalities=Count("municipality", distinct=True),
        offices=Count("office", distinct=True),
    )
    needs = Need.objects.aggregate(total=Count("pk"), replied=Count("pk", filter=~Q(reply="")))
    discussion = PlanComment.objects.from_participants().aggregate(
        comments=Count("pk"),
        municipalities=Count("municipality", distinct=True),
        offices=Count("office", distinct=True),
    )
    questionnaires = list(
        Questionnaire.objects.with_public_results().with_response_count().only("pk", "slug", "title").order_by("title")
    )
    return {"positions": positions, "needs": needs, "discussion": discussion, "questionnaires": questionnaires}


def addenda() -> dict[str, list[Amendment]]:
    """The approved amendments to the plan's text, by section."""
    return Amendment.objects.addenda()
