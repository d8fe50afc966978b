"""The questionnaire's section of a municipality's page: participation once results are public."""

from __future__ import annotations

from django.db.models import Count, Q

from surveys.models import Questionnaire
from surveys.results import participation_rates


def participation_section(municipality, user) -> dict | None:
    """Responses from the municipality and the rate per 1,000 inhabitants, per questionnaire (one query)."""
    questionnaires = list(
        Questionnaire.objects.with_public_results()
        .annotate(
            local=Count("responses", filter=Q(responses__municipality=municipality)),
            total=Count("responses"),
        )
        .order_by("-closes_at")
    )
    if not questionnaires:
        return None
    code = municipality.istat_code
    rows = [
        {
            "questionnaire": q,
            "count": q.local,
            "total": q.total,
            "rate": participation_rates({code: q.local}, {code: municipality.population}).get(code, 0.0),
        }
        for q in questionnaires
    ]
    return {"template": "surveys/municipality_section.html", "survey_rows": rows, "municipality": municipality}
