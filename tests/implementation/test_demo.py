"""The demo data: two cycles with validated reports written through the services, so /attuazione/ moves."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from implementation.models import ProgressReport, ReportingCycle, Review

pytestmark = pytest.mark.django_db


def test_two_cycles_of_validated_reports_show_movement(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert ReportingCycle.objects.count() == 2
    first, second = ReportingCycle.objects.order_by("opens_on")
    assert first.reports.filter(review=Review.VALIDATED).count() > 10
    assert second.reports.filter(review=Review.VALIDATED).exists()
    assert (
        second.reports.filter(review=Review.SUBMITTED).exists()
        and second.reports.filter(review=Review.RETURNED).exists()
    )
    # The current reports are the second cycle's where it was validated, with more done than in the first.
    moved = ProgressReport.objects.current().filter(cycle=second)
    assert moved.exists()
    for report in moved[:5]:
        earlier = ProgressReport.objects.get(cycle=first, project_id=report.project_id, action_id=report.action_id)
        assert report.percent > earlier.percent
    html = client.get(reverse("implementation:progress")).content.decode()
    assert "Nessuna rilevazione validata." not in html.split("Il piano nel suo insieme")[1][:400]
    call_command("seed_demo", stdout=io.StringIO())
    assert ReportingCycle.objects.count() == 2


def test_the_demo_indicators_have_two_years_of_values_on_the_objective_pages(client):
    from implementation.models import IndicatorValue

    call_command("seed_demo", stdout=io.StringIO())
    measured = IndicatorValue.objects.select_related("indicator__objective").order_by("pk")
    assert measured.count() >= 4
    assert measured.values("year").distinct().count() == 2
    first = measured.first()
    html = client.get(first.indicator.objective.get_absolute_url()).content.decode()
    assert "Gli indicatori misurati" in html and first.indicator.name in html
    count = measured.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert IndicatorValue.objects.count() == count
