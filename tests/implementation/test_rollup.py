"""The roll-up against a hand computation: weighted by cost where every cost is known, the plain average where
one is missing, each project once per node, only the latest validated report, at each level, per comune and
with the page's filters; a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from implementation.factories import ProgressReportFactory, ReportingCycleFactory
from implementation.models import Review
from implementation.rollup import by_municipality, current_reports, objective_tree, totals
from projects.factories import AgendaActionFactory, ProjectFactory
from projects.models import Agenda, AgendaStatus, Publication
from projects.services.agenda import approve_agenda

pytestmark = pytest.mark.django_db

K = Decimal("1000")


@pytest.fixture
def world(tree, office_a, office_b, messina, lipari):
    """The hand-computed tree (percent, cost):

    A1.1: P1 (50%, 100k), P2 (10%, 300k)            → weighted (5,000k + 3,000k) / 400k = 20.0
    A1.2: P2 (10%, 300k), P3 (80%, no cost)          → plain (10 + 80) / 2 = 45.0
    A1, A: P1, P2 once, P3                           → plain (50 + 10 + 80) / 3 = 46.7
    B1.1, B1, B: P4 (40%, 200k), X action (70%, 100k), P6 (20%, 100k; its older 90% is not current)
                                                     → weighted (8,000k + 7,000k + 2,000k) / 400k = 42.5
    P5 (B1.1, 50k) has only a report awaiting review; P7 (A1.1) is a draft: neither counts.
    """
    old, new = ReportingCycleFactory(title="I trimestre"), ReportingCycleFactory(title="II trimestre")
    p1 = ProjectFactory(office=office_a, total_cost=100 * K, objectives=[tree["A1.1"]], municipalities=[messina])
    p2 = ProjectFactory(
        office=office_a, total_cost=300 * K, objectives=[tree["A1.1"], tree["A1.2"]], municipalities=[messina]
    )
    p3 = ProjectFactory(office=office_a, total_cost=None, objectives=[tree["A1.2"]])
    p4 = ProjectFactory(office=office_b, total_cost=200 * K, objectives=[tree["B1.1"]], municipalities=[lipari])
    p5 = ProjectFactory(office=office_b, total_cost=50 * K, objectives=[tree["B1.1"]])
    p6 = ProjectFactory(office=office_b, total_cost=100 * K, objectives=[tree["B1.1"]], funding={"fsc": K})
    p7 = ProjectFactory(office=office_a, total_cost=K, objectives=[tree["A1.1"]], publication=Publication.DRAFT)
    agenda = Agenda.objects.create(year=2027, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    x = AgendaActionFactory(
        agenda=agenda, responsible_office=office_b, budget=100 * K, objective=tree["B1.1"], projects=[p4]
    )
    approve_agenda(agenda, act="Delibera n. 1/2027")
    ProgressReportFactory(cycle=new, project=p1, percent=50, committed_total=60 * K, paid_total=20 * K, validated=True)
    ProgressReportFactory(cycle=new, project=p2, percent=10, committed_total=100 * K, paid_total=50 * K, validated=True)
    ProgressReportFactory(cycle=new, project=p3, percent=80, validated=True)
    ProgressReportFactory(cycle=new, project=p4, percent=40, progress="delayed", validated=True)
    ProgressReportFactory(cycle=new, project=p5, percent=100, review=Review.SUBMITTED)
    ProgressReportFactory(cycle=old, project=p6, percent=90, review=Review.VALIDATED)
    ProgressReportFactory(cycle=new, project=p6, percent=20, validated=True)
    ProgressReportFactory(cycle=new, project=p7, percent=100, validated=True)
    ProgressReportFactory(cycle=new, action=x, percent=70, validated=True)
    return {"p1": p1, "p4": p4}


def nodes(tree_roots) -> dict:
    found = {}

    def walk(node):
        found[node.code] = node.rollup
        for child in node.tree_children:
            walk(child)

    for root in tree_roots:
        walk(root)
    return found


def test_each_level_matches_the_hand_computation(world, django_assert_num_queries):
    with django_assert_num_queries(7):
        rollups = nodes(objective_tree(current_reports()))
    assert rollups["A1.1"].progress == Decimal("20.0")
    assert rollups["A1.1"].weighted_by_cost
    assert rollups["A1.2"].progress == Decimal("45.0")
    assert not rollups["A1.2"].weighted_by_cost and rollups["A1.2"].missing == 1
    assert rollups["A1"].progress == rollups["A"].progress == Decimal("46.7")
    assert rollups["A"].n == 3  # P2 serves two specific objectives of A: counted once
    assert rollups["B1.1"].progress == rollups["B1"].progress == rollups["B"].progress == Decimal("42.5")
    assert rollups["B"].n == 3


def test_money_and_its_share_of_the_cost(world):
    rollups = nodes(objective_tree(current_reports()))
    assert rollups["A1.1"].committed == 160 * K and rollups["A1.1"].paid == 70 * K
    assert rollups["A1.1"].committed_share == Decimal("40.0")
    assert rollups["A1.1"].paid_share == Decimal("17.5")
    # A missing cost leaves the share unsaid rather than wrong.
    assert rollups["A"].committed_share is None


def test_the_whole_plan_and_the_filters(world):
    everything = totals(current_reports())
    assert everything.n == 6
    assert everything.progress == Decimal("45.0")  # plain: (50 + 10 + 80 + 40 + 70 + 20) / 6
    office_b = world["p4"].office
    only_b = totals(current_reports({"office": office_b}))
    assert only_b.progress == Decimal("42.5")
    assert totals(current_reports({"progress": "delayed"})).progress == Decimal("40.0")
    # FSC funds P6 only.
    assert totals(current_reports({"source": "fsc"})).progress == Decimal("20.0")
    # Messina: P1 and P2.
    assert totals(current_reports({"comune": "083048"})).progress == Decimal("20.0")


def test_each_comune_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        comuni = by_municipality(current_reports())
    assert comuni["083048"].progress == Decimal("20.0")
    # Lipari: P4 and the action X (one of its projects is in Lipari): (8,000k + 7,000k) / 300k.
    assert comuni["083041"].progress == Decimal("50.0")
    assert set(comuni) == {"083048", "083041"}


def test_nothing_reported_gives_no_progress(tree):
    rollups = nodes(objective_tree(current_reports()))
    assert rollups["A"].progress is None and rollups["A"].n == 0
    assert totals(current_reports()).progress is None
