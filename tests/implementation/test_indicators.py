"""Indicators measured: the values over time entered by the team and the responsible offices (Italian errors,
one value per year, corrections audited), the objective page's chart and table, /opendata/indicatori.csv; the
whole cast on the reserved pages, forged ids refused, query counts constant."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation.indicators import indicators_for, series, with_values
from implementation.models import IndicatorValue
from implementation.services import indicator_value_record
from phases.factories import IndicatorFactory
from phases.models import Indicator
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST
from tests.implementation.conftest import expected

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(tree):
    """An indicator of A1.2, the objective action_a (office A) serves."""
    return IndicatorFactory(
        objective=tree["A1.2"], name="Tempo medio di percorrenza", unit="min", baseline=45, target=30, year=2030
    )


@pytest.fixture
def other_indicator(tree):
    """An indicator of B1.1: no action of any office serves it."""
    return IndicatorFactory(objective=tree["B1.1"], name="Chilometri di argini", unit="km", baseline=2, target=12)


def record(user, indicator, year=2027, value=Decimal("41.5"), source="ISTAT", note=""):
    return indicator_value_record(user=user, indicator=indicator, year=year, value=value, source=source, note=note)


# --- Service ------------------------------------------------------------------------------------------------


def test_a_value_is_recorded_then_corrected_with_the_old_one_in_the_audit_log(team_user, indicator):
    measured, created = record(team_user, indicator)
    assert created and measured.value == Decimal("41.50")
    corrected, created = record(team_user, indicator, value=Decimal("40"), source="Rilevazione dell'ufficio")
    assert not created and corrected.pk == measured.pk
    assert IndicatorValue.objects.get().value == Decimal("40.00")
    event = AuditEvent.objects.get(action="indicator_value.correct")
    assert event.before["value"] == "41.50" and event.after["value"] == "40.00"


def test_the_responsible_office_records_its_objectives_indicators_only(
    office_a_user, office_b_user, action_a, indicator, other_indicator, tree
):
    on_axis = IndicatorFactory(objective=tree["A"], name="Indicatore dell'asse")
    assert set(indicators_for(office_a_user)) == {indicator, on_axis}
    assert set(indicators_for(office_b_user)) == set()
    record(office_a_user, indicator)
    for user, target in ((office_a_user, other_indicator), (office_b_user, indicator)):
        with pytest.raises(ValidationError, match="uffici responsabili"):
            record(user, target)
    assert IndicatorValue.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [({"year": 1999}, "year"), ({"year": 2101}, "year"), ({"value": None}, "value"), ({"source": "  "}, "source")],
)
def test_bad_values_are_refused_in_italian_and_nothing_saved(team_user, indicator, changes, field):
    with pytest.raises(ValidationError) as error:
        record(team_user, indicator, **changes)
    assert field in error.value.message_dict
    assert not IndicatorValue.objects.exists()


def test_the_series_goes_from_baseline_through_the_values_to_the_target(team_user, indicator):
    record(team_user, indicator, year=2028, value=Decimal("38"))
    record(team_user, indicator, year=2027, value=Decimal("41.5"))
    chart = series(with_values(Indicator.objects.filter(pk=indicator.pk)).get())
    assert [row["kind"] for row in chart["rows"]] == ["baseline", "value", "value", "target"]
    assert [row["extra"] for row in chart["rows"]] == ["45 min", "41,50 min", "38 min", "30 min"]
    # The longest bar is the largest value; the others in proportion.
    assert chart["rows"][0]["width"] == 820.0 and chart["rows"][3]["width"] == pytest.approx(820 * 30 / 45, abs=0.1)
    assert "38 min nel 2028" in chart["description"]


# --- Reserved pages -----------------------------------------------------------------------------------------

OFFICES_AND_TEAM = {"team_user": 200, "office_a_user": 200, "office_b_user": 200}


@pytest.mark.parametrize("name", CAST)
def test_the_indicator_list_for_the_whole_cast(name, cast, login, action_a, indicator, other_indicator):
    response = login(cast(name)).get(reverse("implementation:indicators"))
    assert response.status_code == expected(OFFICES_AND_TEAM, name)
    if response.status_code == 200:
        html = response.content.decode()
        assert (indicator.name in html) == (name in ("team_user", "office_a_user"))
        assert (other_indicator.name in html) == (name == "team_user")


@pytest.mark.parametrize("name", CAST)
def test_the_indicator_page_for_the_whole_cast(name, cast, login, final_phase, action_a, indicator):
    client = login(cast(name))
    url = reverse("implementation:indicator", args=[indicator.pk])
    table = {"team_user": 200, "office_a_user": 200, "office_b_user": 404}
    assert client.get(url).status_code == expected(table, name)
    response = client.post(url, {"year": "2027", "value": "1.234,5", "source": "ISTAT", "note": ""})
    allowed = name in ("team_user", "office_a_user")
    assert response.status_code == (302 if allowed else expected(table, name))
    assert IndicatorValue.objects.filter(value=Decimal("1234.50")).exists() == allowed


def test_forged_ids_are_refused(login, team_user, final_phase, indicator):
    client = login(team_user)
    assert client.get(reverse("implementation:indicator", args=[999999])).status_code == 404
    assert client.post(reverse("implementation:indicator", args=[999999]), {"year": "2027"}).status_code == 404


@pytest.mark.parametrize(
    "post, message",
    [
        ({"year": "2027", "value": "tanti", "source": "ISTAT"}, "non è un numero"),
        ({"year": "1850", "value": "3", "source": "ISTAT"}, "tra il 2000 e il 2100"),
        ({"year": "2027", "value": "", "source": "ISTAT"}, "obbligatorio"),
        ({"year": "2027", "value": "3", "source": ""}, "obbligatorio"),
        ({"year": "2027", "value": "9999999999999", "source": "ISTAT"}, "troppo grande"),
    ],
)
def test_bad_input_is_an_italian_message_never_a_500(login, team_user, final_phase, indicator, post, message):
    response = login(team_user).post(reverse("implementation:indicator", args=[indicator.pk]), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_negative_value_is_accepted(login, team_user, final_phase, indicator):
    post = {"year": "2027", "value": "-2,5", "source": "ISTAT"}
    login(team_user).post(reverse("implementation:indicator", args=[indicator.pk]), post)
    assert IndicatorValue.objects.get().value == Decimal("-2.50")


def test_nothing_is_recorded_while_reporting_is_closed(login, team_user, indicator):
    post = {"year": "2027", "value": "3", "source": "ISTAT"}
    response = login(team_user).post(reverse("implementation:indicator", args=[indicator.pk]), post)
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()


# --- Public: the objective page and the open data -----------------------------------------------------------


def test_the_objective_page_shows_baseline_values_and_target_as_a_chart_and_a_table(client, team_user, indicator):
    record(team_user, indicator, year=2027, value=Decimal("41.5"), source="Rilevazione ANAS")
    html = client.get(indicator.objective.get_absolute_url()).content.decode()
    assert "Gli indicatori misurati" in html
    assert 'role="img"' in html and f'id="indicatore-{indicator.pk}-t"' in html
    for text in ("Valore di partenza", "Misurato nel 2027", "Obiettivo al 2030", "41,50", "Rilevazione ANAS"):
        assert text in html
    assert "surveys/surveys" in html  # the chart's stylesheet


def test_an_objective_without_measured_values_has_no_section(client, indicator):
    html = client.get(indicator.objective.get_absolute_url()).content.decode()
    assert "Gli indicatori misurati" not in html


def _objective_page_queries(client, objective) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(objective.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_objective_page_queries_do_not_grow_with_indicators_and_values(client, team_user, tree):
    objective = tree["A1.2"]

    def add(n: int) -> None:
        for i in range(n):
            indicator = IndicatorFactory(objective=objective, name=f"Indicatore {Indicator.objects.count()}")
            for year in range(2027, 2027 + 1 + i % 3):
                record(team_user, indicator, year=year, value=Decimal(i + year % 10))

    add(1)
    small = _objective_page_queries(client, objective)
    add(9)
    assert _objective_page_queries(client, objective) == small


def test_the_open_data_lists_every_value_without_personal_data(client, team_user, indicator, other_indicator):
    record(team_user, indicator, year=2027, value=Decimal("41.5"), source="ISTAT", note="Dato provvisorio")
    record(team_user, other_indicator, year=2028, value=Decimal("5"), source="Ufficio ambiente")
    response = client.get(reverse("implementation:opendata_indicators"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(row["objective_code"], row["year"], row["value"]) for row in rows] == [
        ("A1.2", "2027", "41.50"),
        ("B1.1", "2028", "5.00"),
    ]
    assert rows[0]["baseline"] == "45.00" and rows[0]["target"] == "30.00" and rows[0]["note"] == "Dato provvisorio"
    assert team_user.email not in body and team_user.full_name not in body


def test_the_catalogue_lists_the_indicators(client):
    html = client.get(reverse("opendata")).content.decode()
    assert reverse("implementation:opendata_indicators") in html
