"""What the questionnaire gives the plan documents: the results of the latest one with public results.

Shape in ``plan.sections``; fingerprint as in ``psm_portal.lib.plan_data``.
"""

from __future__ import annotations

from django.db.models import Count, Max, Sum
from django.utils import translation

from psm_portal.lib.plan_data import digest, table_rows, unavailable
from surveys.answers import Structure
from surveys.models import Option, Question, Questionnaire, Response, Tally
from surveys.results import chart_data, compute
from surveys.spreading import SPREAD_ROUNDS


def questionnaire_provider(kind: str) -> dict:
    """The most recent questionnaire with public results, counted by ``surveys.results.compute`` like its
    results page: each closed question's chart data (``surveys.results.chart_data``, drawn by the same
    SVG template as the web), and responses per comune of residence."""
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


def questionnaire_fingerprint(kind: str) -> str:
    """The questionnaires with their questions and options, and the running counts of their answers.

    Responses are only ever added, and every one adds to the counts: the number of count rows,
    their sums and their highest key (a rebuild makes new rows) move with any change.
    """
    counts = Tally.objects.aggregate(
        rows=Count("pk"), top=Max("pk"), n=Sum("count"), ranks=Sum("rank_sum"), numbers=Sum("number_sum")
    )
    return digest(
        [
            table_rows(Questionnaire.objects.all()),
            table_rows(Question.objects.all()),
            table_rows(Option.objects.all()),
            Response.objects.count(),
            sorted(counts.items()),
        ]
    )
