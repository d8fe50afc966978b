"""The plan providers for the Vision, the objectives tree (with its projects), the questionnaire and the istanze.

Each returns the shape documented in ``phases.plan.providers`` with a constant number of queries,
in a stable order, with ISO dates and decimal strings, so two snapshots of the same data are equal.
Labels (statuses, funding sources) are frozen in Italian, the language of the document.
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.utils import timezone, translation

from phases.plan.providers import unavailable


def _decimal_text(value) -> str:
    return "" if value is None else str(value)


# --- Vision -------------------------------------------------------------------------------------------------


def vision_provider(kind: str) -> dict:
    """The adopted Vision, else the one open for review, else the latest published version (one query)."""
    from phases.models import VisionStatus, VisionVersion

    version = (
        VisionVersion.objects.published()
        .order_by(
            Case(
                When(status=VisionStatus.ADOPTED, then=Value(0)),
                When(status=VisionStatus.OPEN, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "-number",
        )
        .first()
    )
    if version is None:
        return unavailable()
    data = {"title": version.title, "html": version.text, "version": version.number}
    if version.status == VisionStatus.ADOPTED and version.adopted_at:
        data["approved_on"] = timezone.localtime(version.adopted_at).date().isoformat()
    return data


# --- Objectives tree ----------------------------------------------------------------------------------------


def objectives_provider(kind: str) -> dict:
    """The whole tree in tree order with its indicators (two queries), then the projects on specific objectives."""
    from phases.models import Indicator, Objective, ObjectiveLevel

    objectives = Objective.objects.in_tree_order().prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))
    )
    roots: list[dict] = []
    nodes: dict[int, dict] = {}
    specific: dict[int, dict] = {}
    for objective in objectives:
        node = {
            "code": objective.code,
            "level": objective.level,
            "title": objective.title,
            "description": objective.description,
            "indicators": [
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": _decimal_text(indicator.baseline),
                    "target": _decimal_text(indicator.target),
                    "year": indicator.year or "",
                }
                for indicator in objective.indicators.all()
            ],
            "children": [],
            "projects": [],
        }
        nodes[objective.pk] = node
        # sort_key orders parents before their children, so the parent's node already exists.
        parent = nodes.get(objective.parent_id) if objective.parent_id else None
        (parent["children"] if parent is not None else roots).append(node)
        if objective.level == ObjectiveLevel.SPECIFIC:
            specific[objective.pk] = node
    if not roots:
        return unavailable()
    attach_projects(specific)
    return {"items": roots}


def attach_projects(specific: dict[int, dict]) -> None:
    """Hang every published project on the specific objectives it serves (four queries)."""
    if not specific:
        return
    from municipalities.models import Municipality
    from phases.models import Objective
    from projects.models import FundingLine, Project

    projects = (
        Project.objects.published()
        .filter(objectives__in=list(specific))
        .distinct()
        .order_by("title", "pk")
        .prefetch_related(
            Prefetch("funding_lines", queryset=FundingLine.objects.order_by("source")),
            Prefetch("municipalities", queryset=Municipality.objects.only("istat_code", "name").order_by("name")),
            Prefetch("objectives", queryset=Objective.objects.filter(pk__in=list(specific)).only("pk")),
        )
    )
    with translation.override("it"):
        for project in projects:
            lines = list(project.funding_lines.all())
            cost = project.total_cost if project.total_cost is not None else sum(line.amount for line in lines)
            entry = {
                "title": project.title,
                "cup": project.cup,
                "cost": str(cost),
                "funding": [{"source": str(line.get_source_display()), "amount": str(line.amount)} for line in lines],
                "municipalities": [m.name for m in project.municipalities.all()],
                "status": str(project.get_status_display()),
            }
            for objective in project.objectives.all():
                specific[objective.pk]["projects"].append(entry)


# --- Questionnaire ------------------------------------------------------------------------------------------


def questionnaire_provider(kind: str) -> dict:
    """The most recent questionnaire with public results, counted by ``surveys.results.compute`` like its
    results page: each closed question's chart data (``surveys.results.chart_data``, drawn by the same
    SVG template as the web), and responses per comune of residence."""
    from surveys.answers import Structure
    from surveys.models import Questionnaire
    from surveys.results import chart_data, compute
    from surveys.spreading import SPREAD_ROUNDS

    questionnaire = Questionnaire.objects.with_public_results().order_by("-opens_at", "-pk").first()
    if questionnaire is None:
        return unavailable()
    with translation.override("it"):
        # Every stored response is spread first, not only what a page view would: this runs in the worker.
        data = compute(questionnaire, structure=Structure.load(questionnaire), spread_rounds=SPREAD_ROUNDS)
        questions = [
            {"number": number, **chart_data(result)}
            for number, result in enumerate(data["questions"], start=1)
            # Residence is the participation map; open answers are never printed.
            if result.chart in ("bars", "likert", "ranking", "number")
        ]
    return {
        "title": questionnaire.title,
        "responses": int(data["total"]),
        "questions": questions,
        "by_municipality": {
            row["municipality"].istat_code: int(row["count"]) for row in data["participation"] if row["count"]
        },
    }


# --- Istanze ------------------------------------------------------------------------------------------------


def needs_provider(kind: str) -> dict:
    """Istanze sent by each comune (one query); unavailable until the first one arrives."""
    from phases.models import Need

    counts = dict(Need.objects.values_list("municipality_id").annotate(n=Count("pk")).order_by("municipality_id"))
    if not counts:
        return unavailable()
    return {"by_municipality": {code: int(n) for code, n in counts.items()}}
