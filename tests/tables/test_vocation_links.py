"""A table's outcome names the vocation or the scenario it produced: the service and the form, the vocation's page
and /scenari/ («Emerso dai tavoli di lavoro»), the table's page, the plan section and the open data."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from psm_portal.audit.models import AuditEvent
from tables.models import Outcome
from tables.plan_section import tables_provider
from tables.services import outcome_create
from tests.conftest import CAST
from tests.tables.conftest import expected
from vocations.models import Scenario, Vocation

pytestmark = pytest.mark.django_db

MANAGERS = {"team_user", "office_a_user"}


@pytest.fixture
def vocation(db):
    return Vocation.objects.create(slug="mare", name="Economia del mare", description="Porti e pesca.")


@pytest.fixture
def scenarios(db):
    return [
        Scenario.objects.create(slug="tendenziale", title="Tendenziale", narrative="Come oggi", assumptions="a"),
        Scenario.objects.create(slug="obiettivo", title="Obiettivo", narrative="Meglio", assumptions="b", order=2),
    ]


def test_an_outcome_links_to_a_vocation_and_a_scenario(table, office_a_user, vocation, scenarios):
    outcome = outcome_create(
        user=office_a_user, table=table, title="Porti come vocazione", vocation=vocation, scenario=scenarios[1]
    )
    outcome.refresh_from_db()
    assert (outcome.vocation, outcome.scenario) == (vocation, scenarios[1])
    assert AuditEvent.objects.filter(action="outcome.create").count() == 1


def test_only_the_managers_link_an_outcome_to_a_vocation(table, mayor_a, vocation):
    with pytest.raises(ValidationError):
        outcome_create(user=mayor_a, table=table, title="Porti", vocation=vocation)
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("name", CAST)
def test_the_form_records_the_vocation_and_the_scenario_for_the_managers_only(
    name, cast, login, table, vocation, scenarios
):
    client = login(cast(name))
    data = {"title": "Turismo del mare", "vocation": vocation.pk, "scenario": scenarios[0].pk}
    response = client.post(reverse("tables:outcome", args=[table.pk]), data)
    assert response.status_code == expected({n: 302 for n in MANAGERS}, name)
    linked = Outcome.objects.filter(vocation=vocation, scenario=scenarios[0])
    assert linked.count() == (1 if name in MANAGERS else 0)


def test_forged_vocation_or_scenario_ids_are_refused_in_italian(login, office_a_user, table, vocation, scenarios):
    client = login(office_a_user)
    url = reverse("tables:outcome", args=[table.pk])
    for data in (
        {"title": "x", "vocation": 999999},
        {"title": "x", "scenario": 999999},
        {"title": "x", "vocation": "mare"},
        {"title": "x", "scenario": "1 OR 1=1"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, data
        assert "opzione valida" in response.content.decode(), data
    assert not Outcome.objects.exists()
    assert client.post(reverse("tables:outcome", args=[999999]), {"title": "x"}).status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_the_vocation_page_and_the_scenarios_show_what_emerged_from_the_tables(
    name, cast, login, table, office_a_user, vocation, scenarios
):
    outcome_create(user=office_a_user, table=table, title="Porti come vocazione", vocation=vocation)
    outcome_create(user=office_a_user, table=table, title="Meno auto", scenario=scenarios[1])
    client = login(cast(name))
    page = client.get(reverse("vocations:detail", args=[vocation.slug])).content.decode()
    assert "Emerso dai tavoli di lavoro" in page and "Porti come vocazione" in page and table.title in page
    assert "Meno auto" not in page
    page = client.get(reverse("vocations:scenarios")).content.decode()
    assert "Emerso dai tavoli di lavoro" in page and "Meno auto" in page and "Porti come vocazione" not in page
    assert f'id="esiti-scenario-{scenarios[1].pk}"' in page
    assert f'id="esiti-scenario-{scenarios[0].pk}"' not in page


def test_nothing_emerged_means_no_section(client, vocation, scenarios):
    assert "Emerso dai tavoli" not in client.get(reverse("vocations:detail", args=[vocation.slug])).content.decode()
    assert "Emerso dai tavoli" not in client.get(reverse("vocations:scenarios")).content.decode()


def test_the_table_page_the_plan_section_and_the_open_data_name_the_targets(
    client, table, office_a_user, vocation, scenarios
):
    outcome_create(
        user=office_a_user, table=table, title="Porti come vocazione", vocation=vocation, scenario=scenarios[0]
    )
    page = client.get(table.get_absolute_url()).content.decode()
    assert "la vocazione" in page and vocation.get_absolute_url() in page and "Tendenziale" in page
    row = tables_provider("draft")["items"][0]["outcomes"][0]
    assert (row["vocation"], row["scenario"]) == ("Economia del mare", "Tendenziale")
    lines = list(csv.reader(io.StringIO(client.get(reverse("tables:opendata_csv")).content.decode("utf-8-sig"))))
    header = lines[0]
    outcome_line = next(line for line in lines if line[0] == "outcome")
    assert outcome_line[header.index("vocation_slug")] == "mare"
    assert outcome_line[header.index("scenario_slug")] == "tendenziale"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_counts_of_the_vocation_page_and_scenarios_do_not_grow_with_outcomes(
    client, table, office_a_user, vocation, scenarios
):
    urls = [reverse("vocations:detail", args=[vocation.slug]), reverse("vocations:scenarios")]

    def add(count: int) -> None:
        for index in range(count):
            outcome_create(
                user=office_a_user,
                table=table,
                title=f"Esito {index}",
                vocation=vocation,
                scenario=scenarios[index % 2],
            )

    add(2)
    few = [_queries(client, url) for url in urls]
    add(20)
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert Outcome.objects.filter(vocation=vocation).count() == 22


def test_the_new_targets_speak_english_under_en(client, table, office_a_user, vocation, scenarios):
    outcome_create(user=office_a_user, table=table, title="Porti", vocation=vocation, scenario=scenarios[0])
    table_url = f"/en/tavoli/{table.pk}/"
    assert "Emerged from the working tables" in client.get(f"/en/vocazioni/{vocation.slug}/").content.decode()
    assert "Emerged from the working tables" in client.get("/en/scenari/").content.decode()
    page = client.get(table_url).content.decode()
    assert "the vocation «Economia del mare»" in page and "the scenario «Tendenziale»" in page
    client.force_login(office_a_user, backend="psm_portal.accounts.backends.RoleBackend")
    page = client.get(table_url).content.decode()
    assert "Vocation of the territory" in page and "Development scenario" in page
