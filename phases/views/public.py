"""Public pages of the process, open to anybody without signing in: the timeline of the phases, the Vision,
its versions and their differences, and each objective's page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from phases import coverage, services
from phases.diffing import word_diff
from phases.forms import DiffForm
from phases.models import Objective, Position, Stance, VisionVersion
from phases.now import ROLE_LABELS, process_now
from phases.objective_page import objective_page
from phases.phases import FEATURE_ROLES, Feature
from phases.speakers import speaker_for
from psm_portal.accounts.permissions import is_team


@require_GET
def timeline(request):
    state = process_now()
    now = timezone.now()
    rows = []
    for phase in state.phases:
        features = [feature for feature in Feature if feature in phase.features]
        rows.append(
            {
                "phase": phase,
                "active": phase is state.current,
                "past": phase.ends_at <= now,
                "features": [
                    {"label": feature.label, "roles": [ROLE_LABELS[r] for r in sorted(FEATURE_ROLES[feature])]}
                    for feature in features
                ],
            }
        )
    return render(
        request,
        "phases/timeline.html",
        {"rows": rows, "current": state.current, "now": now, "now_by_role": state.by_role},
    )


@require_GET
def vision(request):
    version = VisionVersion.objects.current()
    axes = Objective.objects.as_tree()
    allowed, _message = services.review_gate(version)
    return render(
        request,
        "phases/vision.html",
        {
            "version": version,
            "axes": axes,
            "review_open": allowed,
            "speaker": speaker_for(request.user),
        },
    )


@require_GET
def vision_versions(request):
    versions = VisionVersion.objects.published().order_by("-number")
    return render(request, "phases/vision_versions.html", {"versions": versions})


def _visible_version(request, number: int) -> VisionVersion:
    queryset = VisionVersion.objects.all() if is_team(request.user) else VisionVersion.objects.published()
    return get_object_or_404(queryset, number=number)


@require_GET
def vision_version(request, number: int):
    version = _visible_version(request, number)
    return render(request, "phases/vision_version.html", {"version": version})


@require_GET
def vision_diff(request):
    """Two versions compared word by word; without a choice, the latest two the visitor may read."""
    visible = VisionVersion.objects.all() if is_team(request.user) else VisionVersion.objects.published()
    if not request.GET:
        latest = list(visible.order_by("-number").values_list("number", flat=True)[:2])
        if len(latest) < 2:
            messages.info(request, _("Per un confronto servono almeno due versioni della Visione."))
            return redirect("phases:vision_versions")
        form = DiffForm({"da": latest[1], "a": latest[0]})
    else:
        form = DiffForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Scegli due versioni da confrontare."))
        return redirect("phases:vision_versions")
    old = _visible_version(request, form.cleaned_data["da"])
    new = _visible_version(request, form.cleaned_data["a"])
    return render(
        request,
        "phases/vision_diff.html",
        {
            "old": old,
            "new": new,
            "paragraphs": word_diff(old.text, new.text),
            "versions": list(visible.order_by("-number").only("number", "title")),
        },
    )


@require_GET
def objective_detail(request, code: str):
    objective = get_object_or_404(Objective.objects.select_related("parent__parent"), code=code)
    ancestors = [a for a in (objective.parent.parent if objective.parent else None, objective.parent) if a]
    children = objective.children.order_by("sort_key")
    needs = objective.needs.select_related("municipality").order_by("-created_at")[:20]
    # Positions are public once a review is closed: the totals of the latest closed one.
    closed = VisionVersion.objects.latest_reviewed()
    stances = []
    if closed and objective.is_general:
        counts = dict(
            Position.objects.for_version(closed)
            .filter(objective=objective)
            .values_list("stance")
            .annotate(n=Count("id"))
        )
        stances = [(label, counts.get(value, 0)) for value, label in Stance.choices]
    # While a review is open, who has answered on this objective so far (no stances until it closes).
    open_version = VisionVersion.objects.open_for_review().first() if objective.is_general else None
    participation = coverage.live_participation(open_version, objective=objective) if open_version else None
    return render(
        request,
        "phases/objective.html",
        {
            "objective": objective,
            "sections": objective_page.collect(objective, request),
            "ancestors": ancestors,
            "indicators": objective.indicators.all(),
            "children": children,
            "needs": needs,
            "closed_version": closed,
            "stances": stances,
            "participation": participation,
        },
    )
