"""The pages of outcomes and the pages outcomes extends: the whole cast, and query counts that do not grow with
the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Outcome
from outcomes.services import outcome_record
from phases.factories import NeedFactory
from projects.factories import ProjectFactory, ProposalFactory
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

MINE = {"anonymous": 302, "mayor_a": 200, "mayor_b": 200}


@pytest.mark.parametrize("who", CAST)
def test_only_mayors_open_what_became_of_their_contributions(login, cast, who, mayor_a, messina, team_user):
    need = NeedFactory(municipality=messina, title="Porto di Tremestieri")
    outcome_record(actor=team_user, input=need, outcome=Outcome.NOT_TAKEN, reason="Già nel piano regionale")
    response = login(cast(who)).get(reverse("outcomes:mine"))
    assert response.status_code == MINE.get(who, 403)
    html = response.content.decode()
    # Each mayor reads their own comune's only.
    assert ("Porto di Tremestieri" in html) == (who == "mayor_a")
    assert ("Già nel piano regionale" in html) == (who == "mayor_a")


def test_posting_to_the_mayor_page_is_refused(login, mayor_a):
    assert login(mayor_a).post(reverse("outcomes:mine")).status_code == 405


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _contributions(n: int, *, messina, mayor_a, team_user, objective, project, start: int) -> None:
    for i in range(start, start + n):
        need = NeedFactory(municipality=messina, title=f"Istanza {i}")
        targets = [objective, project] if i % 2 else [objective]
        outcome_record(actor=team_user, input=need, outcome=Outcome.TAKEN, targets=targets, reason=f"Motivo {i}")
        proposal = ProposalFactory(proposer=mayor_a, municipality=messina, title=f"Proposta {i}")
        if i % 3:
            outcome_record(actor=team_user, input=proposal, outcome=Outcome.MERGED, targets=[project])
        else:
            outcome_record(actor=team_user, input=proposal, outcome=Outcome.NOT_TAKEN, reason=f"No {i}")


@pytest.mark.parametrize("who", ["anonymous", "mayor_a", "team_user"])
def test_query_counts_do_not_grow_with_the_contributions(login, cast, who, mayor_a, team_user, messina, office_a, tree):
    project = ProjectFactory(office=office_a)
    project.objectives.add(tree["A1.1"])
    need = NeedFactory(municipality=messina, title="La prima")
    kwargs = {"messina": messina, "mayor_a": mayor_a, "team_user": team_user, "objective": tree["A1.1"]}
    outcome_record(actor=team_user, input=need, outcome=Outcome.TAKEN, targets=[tree["A1.1"], project])
    _contributions(2, project=project, start=0, **kwargs)
    client = login(cast(who))
    urls = [tree["A1.1"].get_absolute_url(), project.get_absolute_url(), messina.get_absolute_url()]
    if who != "anonymous":
        urls.append(need.get_absolute_url())
    if who == "mayor_a":
        urls.append(reverse("outcomes:mine"))
    for url in urls:
        _queries(client, url)  # warm the content types' cache
    small = {url: _queries(client, url) for url in urls}
    _contributions(12, project=project, start=10, **kwargs)
    large = {url: _queries(client, url) for url in urls}
    assert large == small
    assert "Istanza 21" in client.get(tree["A1.1"].get_absolute_url()).content.decode()
