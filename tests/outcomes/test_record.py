"""The team records what a position, a comment on the draft or a questionnaire question led to, from where it
reads them; the results page says what each question informed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.models import Link, Outcome
from phases.factories import NeedFactory, PositionFactory, VisionVersionFactory
from phases.models import Stance, VisionStatus
from surveys.factories import every_kind_questionnaire
from tests.conftest import CAST

pytestmark = pytest.mark.django_db


def record_url(kind: str, pk: int) -> str:
    return reverse("outcomes:record", args=[kind, pk])


@pytest.fixture
def position(messina, tree):
    version = VisionVersionFactory(number=1, status=VisionStatus.CLOSED)
    return PositionFactory(version=version, municipality=messina, objective=tree["A1"], stance=Stance.AGREE)


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_records_an_outcome(login, cast, who, position, tree):
    client = login(cast(who))
    url = record_url("phases.position", position.pk)
    expected = {"anonymous": 302, "team_user": 200}.get(who, 403)
    assert client.get(url).status_code == expected
    response = client.post(url, {"outcome": "taken", "led_to": [f"phases.objective:{tree['A1.1'].pk}"]})
    assert response.status_code == (302 if who in ("anonymous", "team_user") else 403)
    assert Link.objects.exists() == (who == "team_user")


def test_forged_kinds_and_ids_are_not_found(login, team_user, position, messina):
    client = login(team_user)
    assert client.get(record_url("auth.user", team_user.pk)).status_code == 404
    assert client.get(record_url("phases.objective", 1)).status_code == 404
    assert client.get(record_url("phases.position", 999999)).status_code == 404
    assert client.get("/area-riservata/esiti/registra/phases.position/-1/").status_code == 404


def test_bad_input_gets_italian_messages_and_saves_nothing(login, team_user, position, tree):
    client = login(team_user)
    url = record_url("phases.position", position.pk)
    response = client.post(url, {"outcome": "taken"})
    assert "Indica in quali obiettivi" in response.content.decode()
    response = client.post(url, {"outcome": "not_taken", "reason": ""})
    assert "Scrivi la motivazione" in response.content.decode()
    response = client.post(url, {"outcome": "inventato"})
    assert response.status_code == 200 and response.context["form"].errors["outcome"]
    response = client.post(url, {"outcome": "taken", "led_to": ["phases.objective:x"]})
    assert response.status_code == 200 and response.context["form"].errors["led_to"]
    assert not Link.objects.exists()


def test_a_position_shows_what_it_led_to_to_its_comune(login, team_user, mayor_a, mayor_b, position, tree, messina):
    login(team_user).post(
        record_url("phases.position", position.pk),
        {"outcome": "taken", "led_to": [f"phases.objective:{tree['A1.1'].pk}"], "reason": "Ripresa nel testo"},
    )
    page = login(mayor_a).get(reverse("phases:positions", args=["comune", messina.istat_code])).content.decode()
    assert tree["A1.1"].get_absolute_url() in page and "Ripresa nel testo" in page
    objective = login(None).get(tree["A1.1"].get_absolute_url()).content.decode()
    assert "Posizione" in objective and "Messina" in objective
    # Clearing the outcome forgets the link.
    login(team_user).post(record_url("phases.position", position.pk), {"outcome": ""})
    assert not Link.objects.exists()


def test_the_results_page_links_each_question_to_what_it_informed(login, team_user, tree):
    survey = every_kind_questionnaire(slug="mobilita", title="Mobilità e futuro")
    survey.set_results_published(True)
    question = survey.questions.order_by("pk").first()
    login(team_user).post(
        record_url("surveys.question", question.pk),
        {"outcome": "taken", "led_to": [f"phases.objective:{tree['A2'].pk}"]},
    )
    link = Link.objects.get()
    assert (link.input, link.target, link.outcome) == (question, tree["A2"], Outcome.TAKEN)
    results = reverse("surveys:results", args=[survey.slug])
    page = login(None).get(results).content.decode()
    assert "Ha informato" in page and tree["A2"].get_absolute_url() in page
    assert record_url("surveys.question", question.pk) not in page
    assert record_url("surveys.question", question.pk) in login(team_user).get(results).content.decode()
    objective = login(None).get(tree["A2"].get_absolute_url()).content.decode()
    assert "Domanda del questionario" in objective and "Mobilità e futuro" in objective


def test_the_istanza_record_page_is_the_same_for_an_istanza(login, team_user, messina, tree):
    need = NeedFactory(municipality=messina)
    response = login(team_user).get(record_url("phases.need", need.pk))
    assert response.status_code == 200 and need.title in response.content.decode()


def test_the_public_agenda_lists_under_each_action_the_contributions_that_led_to_it(
    login, team_user, office_a, messina, tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from projects.factories import AgendaActionFactory, AgendaFactory
    from projects.models import AgendaStatus

    agenda = AgendaFactory(year=2027, version=1, status=AgendaStatus.SUBMITTED, submitted_at=timezone.now())
    actions = [
        AgendaActionFactory(agenda=agenda, position=i, title=f"Azione {i}", responsible_office=office_a)
        for i in range(1, 4)
    ]
    # Approved after its actions are written (on PostgreSQL a trigger freezes an approved agenda's actions).
    type(agenda).objects.filter(pk=agenda.pk).update(
        status=AgendaStatus.APPROVED, approved_at=timezone.now(), approved_by_act="Delibera n. 1"
    )
    need = NeedFactory(municipality=messina, title="Traghetti notturni")
    login(team_user).post(
        record_url("phases.need", need.pk),
        {"outcome": "taken", "led_to": [f"projects.agendaaction:{actions[1].pk}"], "reason": "In agenda"},
    )
    url = reverse("projects:agenda_year", args=[2027])
    client = login(None)
    page = client.get(url).content.decode()
    assert "I contributi che vi hanno portato" in page and "Traghetti notturni" in page
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i, action in enumerate(actions):
        more = NeedFactory(municipality=messina, title=f"Altra {i}")
        login(team_user).post(
            record_url("phases.need", more.pk),
            {"outcome": "taken", "led_to": [f"projects.agendaaction:{action.pk}"]},
        )
    client = login(None)
    with CaptureQueriesContext(connection) as large:
        assert "Altra 2" in client.get(url).content.decode()
    assert len(large) == len(small)


def test_a_comment_on_the_draft_shows_what_it_led_to_in_the_discussion(login, team_user, mayor_a, tree, media):
    from plan.models import DraftSection, PlanComment, PlanKind
    from tests.plan.conftest import make_document

    draft = make_document(kind=PlanKind.DRAFT, published=True)
    comment = PlanComment.objects.create(
        document=draft,
        section=DraftSection.values[0],
        municipality=mayor_a.municipality,
        author=mayor_a,
        body="Più treni",
    )
    url = reverse("plan:discussion_section", args=[DraftSection.values[0]])
    assert record_url("plan.plancomment", comment.pk) in login(team_user).get(url).content.decode()
    login(team_user).post(
        record_url("plan.plancomment", comment.pk),
        {"outcome": "taken", "led_to": [f"phases.objective:{tree['A1'].pk}"], "reason": "Nel testo"},
    )
    page = login(team_user).get(url).content.decode()
    assert "Che cosa ne è stato" in page and tree["A1"].get_absolute_url() in page
    mine = login(mayor_a).get(reverse("outcomes:mine")).content.decode()
    assert "Più treni" in mine and "Nel testo" in mine


def test_reserved_inputs_stay_reserved_where_they_led(login, team_user, mayor_a, council_user, messina, tree, media):
    """A position of a review still open, and a comment of the draft's private threads, are not read by the public
    on the objective's page nor printed in the plan."""
    from outcomes.plan_section import contributions_provider
    from outcomes.services import outcome_record
    from plan.models import DraftSection, PlanComment, PlanKind
    from tests.plan.conftest import make_document

    version = VisionVersionFactory(number=2, open_for_review=True)
    position = PositionFactory(version=version, municipality=messina, objective=tree["A1"], stance=Stance.DISAGREE)
    comment = PlanComment.objects.create(
        document=make_document(kind=PlanKind.DRAFT, published=True),
        section=DraftSection.values[0],
        municipality=messina,
        author=mayor_a,
        body="Commento riservato",
    )
    for input in (position, comment):
        outcome_record(actor=team_user, input=input, outcome=Outcome.TAKEN, targets=[tree["A1.1"]])
    url = tree["A1.1"].get_absolute_url()
    public = login(None).get(url).content.decode()
    assert "I contributi che vi hanno portato" not in public and "Commento riservato" not in public
    assert contributions_provider("draft")["available"] is False
    council = login(council_user).get(url).content.decode()
    assert "Commento riservato" in council and "Posizione" not in council
    own = login(mayor_a).get(url).content.decode()
    assert "Commento riservato" in own and "Messina — A1" in own
    type(version).objects.filter(pk=version.pk).update(status=VisionStatus.CLOSED)
    assert "Messina — A1" in login(None).get(url).content.decode()
