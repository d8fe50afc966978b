"""The team's builder: create, add every kind of question, reorder, preview, publish, lock, new version."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from psm_portal.audit.models import AuditEvent
from surveys.models import Kind, Option, Question, Questionnaire, Section
from surveys.services import response_submit
from tests.conftest import CAST
from tests.surveys.conftest import full_answers

pytestmark = pytest.mark.django_db

TEAM_ONLY = ("create", "edit", "preview", "question_add", "section_add")


def staff_status(member: str, allowed: tuple[str, ...]) -> int:
    if member == "anonymous":
        return 302
    return 200 if member in allowed else 403


@pytest.mark.parametrize("member", CAST)
def test_manage_list_is_for_team_and_offices(member, cast, login, survey):
    reply = login(cast(member)).get(reverse("surveys:manage"))
    assert reply.status_code == staff_status(member, ("team_user", "office_a_user", "office_b_user"))


@pytest.mark.parametrize("member", CAST)
@pytest.mark.parametrize("name", TEAM_ONLY)
def test_builder_pages_are_for_the_team_only(member, name, cast, login, survey):
    args = [] if name == "create" else [survey.pk]
    reply = login(cast(member)).get(reverse(f"surveys:{name}", args=args))
    assert reply.status_code == staff_status(member, ("team_user",))


@pytest.mark.parametrize("member", CAST)
def test_builder_posts_are_refused_to_others(member, cast, login, survey):
    if member == "team_user":
        return
    client = login(cast(member))
    client.post(reverse("surveys:publish", args=[survey.pk]), {"azione": "duplica"})
    section = survey.sections.first()
    client.post(reverse("surveys:item_action", args=[survey.pk, "sezione", section.pk, "elimina"]))
    assert Questionnaire.objects.count() == 1 and Section.objects.filter(pk=section.pk).exists()


@pytest.fixture
def team(login, team_user):
    return login(team_user)


def test_team_creates_a_questionnaire_with_a_first_section(team):
    reply = team.post(
        reverse("surveys:create"),
        {
            "title": "Scuole e giovani",
            "slug": "scuole",
            "introduction": "Intro",
            "privacy_notice": "Informativa",
            "opens_at": "2026-01-10T09:00",
            "closes_at": "2026-01-05T09:00",
        },
    )
    assert "La chiusura deve venire dopo l&#x27;apertura." in reply.content.decode()
    reply = team.post(
        reverse("surveys:create"),
        {
            "title": "Scuole e giovani",
            "slug": "scuole",
            "introduction": "Intro",
            "privacy_notice": "Informativa",
            "opens_at": "10/01/2026 09:00",
            "closes_at": "2026-03-05T09:00",
        },
    )
    questionnaire = Questionnaire.objects.get(slug="scuole")
    assert reply["Location"] == reverse("surveys:edit", args=[questionnaire.pk])
    assert questionnaire.status == "draft" and questionnaire.sections.count() == 1


def question_data(section, kind, **extra) -> dict:
    data = {"section": section.pk, "kind": kind, "text": f"Domanda {kind}", "help_text": "", "required": "on"}
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("kind", "extra", "options"),
    [
        (Kind.SINGLE, {"options_text": "Uno\nDue", "widget": "select", "allow_other": "on"}, ["Uno", "Due", "Altro"]),
        (Kind.MULTIPLE, {"options_text": "A\nB\nC", "max_choices": "2", "allow_other": "on"}, ["A", "B", "C", "Altro"]),
        (Kind.LIKERT, {"likert_text": "no\npoco\nmedio\nabbastanza\nmolto"}, []),
        (Kind.RANKING, {"options_text": "A\nB\nC\nD", "rank_top": "2"}, ["A", "B", "C", "D"]),
        (Kind.SHORT_TEXT, {}, []),
        (Kind.LONG_TEXT, {}, []),
        (Kind.NUMBER, {"min_value": "1", "max_value": "10"}, []),
        (Kind.MUNICIPALITY, {}, []),
        (
            Kind.AGE_BAND,
            {},
            ["Meno di 18 anni", "18–24", "25–34", "35–44", "45–54", "55–64", "65–74", "75 anni e oltre"],
        ),
        (Kind.YES_NO, {"options_text": "ignorate"}, ["Sì", "No"]),
    ],
)
def test_team_adds_every_kind_of_question(team, kind, extra, options):
    questionnaire = Questionnaire.objects.create(
        title="T", slug="t", privacy_notice="p", opens_at="2026-01-01T00:00Z", closes_at="2026-12-01T00:00Z"
    )
    section = Section.objects.create(questionnaire=questionnaire, title="S", order=1)
    reply = team.post(reverse("surveys:question_add", args=[questionnaire.pk]), question_data(section, kind, **extra))
    assert reply.status_code == 302, reply.content.decode()[-3000:]
    question = Question.objects.get(questionnaire=questionnaire)
    assert question.kind == kind
    assert [o.label for o in question.options.all()] == options
    if kind == Kind.LIKERT:
        assert question.scale()[0] == (1, "1 – no")
    if kind == Kind.SINGLE:
        assert question.widget == "select" and question.options.get(label="Altro").is_other


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        (Kind.SINGLE, {"options_text": "Solo una"}, "Scrivi almeno due opzioni, una per riga."),
        (
            Kind.RANKING,
            {"options_text": "A\nB", "rank_top": "3"},
            "Non si possono ordinare più voci di quante ce ne siano.",
        ),
        (Kind.NUMBER, {"min_value": "10", "max_value": "1"}, "Il massimo deve essere maggiore o uguale al minimo."),
        (Kind.LIKERT, {"likert_text": "a\nb"}, "Servono esattamente cinque etichette, oppure nessuna."),
        (Kind.MULTIPLE, {"options_text": "A\nA"}, "Ci sono opzioni ripetute."),
    ],
)
def test_builder_explains_what_is_wrong(team, survey, kind, extra, message):
    section = survey.sections.first()
    reply = team.post(reverse("surveys:question_add", args=[survey.pk]), question_data(section, kind, **extra))
    assert reply.status_code == 200
    assert message.replace("'", "&#x27;") in reply.content.decode()


def test_condition_must_point_at_an_earlier_question(team, survey, q):
    first = survey.sections.get(order=1)
    later_option = q.opt(q(Kind.SINGLE, 0), "Treno")  # a question of section 2
    reply = team.post(
        reverse("surveys:question_add", args=[survey.pk]),
        question_data(first, Kind.SHORT_TEXT, condition_option=later_option),
    )
    assert "La condizione deve riferirsi a una domanda precedente." in reply.content.decode()


def test_reorder_questions_and_sections(team, survey, q):
    section = survey.sections.get(order=2)
    first, second = list(section.questions.order_by("order"))[:2]
    team.post(reverse("surveys:item_action", args=[survey.pk, "domanda", second.pk, "su"]))
    assert list(section.questions.order_by("order").values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    # «Opinioni» holds a question conditional on «Priorità»: it cannot go before it.
    opinions = survey.sections.get(title="Opinioni")
    reply = team.post(reverse("surveys:item_action", args=[survey.pk, "sezione", opinions.pk, "su"]), follow=True)
    assert "deve venire prima" in reply.content.decode()
    assert list(survey.sections.order_by("order").values_list("title", flat=True)) == [
        "Chi sei",
        "Priorità",
        "Opinioni",
    ]
    team.post(
        reverse("surveys:item_action", args=[survey.pk, "sezione", survey.sections.get(title="Chi sei").pk, "giu"])
    )
    assert list(survey.sections.order_by("order").values_list("title", flat=True)) == [
        "Priorità",
        "Chi sei",
        "Opinioni",
    ]


def test_a_move_that_would_put_a_condition_after_its_question_is_undone(team, survey, q):
    section = survey.sections.get(order=1)
    yes_no = q(Kind.YES_NO)
    reply = team.post(reverse("surveys:item_action", args=[survey.pk, "domanda", yes_no.pk, "giu"]), follow=True)
    assert "deve venire prima" in reply.content.decode()
    assert list(section.questions.order_by("order").values_list("kind", flat=True)) == [
        Kind.MUNICIPALITY,
        Kind.AGE_BAND,
        Kind.YES_NO,
        Kind.NUMBER,
    ]


def test_preview_shows_every_question_as_a_citizen_sees_it(team, survey):
    html = team.get(reverse("surveys:preview", args=[survey.pk])).content.decode()
    for question in survey.questions.all():
        assert question.text.replace("'", "&#x27;") in html
    assert "Informativa sulla privacy" in html and "Qui non si può inviare nulla" in html


def test_publish_needs_a_question_and_is_audited(team):
    questionnaire = Questionnaire.objects.create(
        title="Vuoto", slug="vuoto", privacy_notice="p", opens_at="2026-01-01T00:00Z", closes_at="2026-12-01T00:00Z"
    )
    reply = team.post(reverse("surveys:publish", args=[questionnaire.pk]), {"azione": "pubblica"}, follow=True)
    assert "Aggiungi almeno una domanda prima di pubblicare." in reply.content.decode()
    section = Section.objects.create(questionnaire=questionnaire, title="S", order=1)
    Question.objects.create(questionnaire=questionnaire, section=section, kind=Kind.SHORT_TEXT, text="?")
    Section.objects.create(questionnaire=questionnaire, title="Vuota", order=2)
    reply = team.post(reverse("surveys:publish", args=[questionnaire.pk]), {"azione": "pubblica"}, follow=True)
    assert "togli la sezione «Vuota»" in reply.content.decode()
    questionnaire.sections.filter(title="Vuota").delete()
    page = team.post(reverse("surveys:publish", args=[questionnaire.pk]), {"azione": "pubblica"}).content.decode()
    assert "Pubblicare il questionario «Vuoto»?" in page and 'name="azione" value="pubblica"' in page
    questionnaire.refresh_from_db()
    assert not questionnaire.is_published and not AuditEvent.objects.filter(action="surveys.publish").exists()
    team.post(reverse("surveys:publish", args=[questionnaire.pk]), {"azione": "pubblica", "conferma": "1"})
    questionnaire.refresh_from_db()
    assert questionnaire.is_published
    assert AuditEvent.objects.filter(action="surveys.publish", object_id=str(questionnaire.pk)).exists()
    team.post(reverse("surveys:publish", args=[questionnaire.pk]), {"azione": "risultati"})
    questionnaire.refresh_from_db()
    assert questionnaire.results_published


@pytest.fixture
def answered(survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q))
    return survey


def test_with_answers_fixing_a_typo_is_fine(team, answered, q):
    single = q(Kind.SINGLE, 0)
    reply = team.post(
        reverse("surveys:question_edit", args=[answered.pk, single.pk]),
        question_data(
            single.section,
            Kind.SINGLE,
            text="Quale mezzo usi più spesso?",
            options_text="Automobile\nAutobus\nTreno\nNave o aliscafo",
            allow_other="on",
            widget="radio",
        ),
    )
    assert reply.status_code == 302
    single.refresh_from_db()
    assert single.text == "Quale mezzo usi più spesso?"
    assert [o.label for o in single.options.all()] == ["Automobile", "Autobus", "Treno", "Nave o aliscafo", "Altro"]


@pytest.mark.parametrize(
    "change",
    [
        {"options_text": "Auto\nAutobus\nTreno"},  # an option removed
        {"kind": Kind.MULTIPLE},
        {"allow_other": ""},
    ],
)
def test_with_answers_changes_that_corrupt_results_are_refused(team, answered, q, change):
    single = q(Kind.SINGLE, 0)
    data = question_data(
        single.section,
        Kind.SINGLE,
        text=single.text,
        options_text="Auto\nAutobus\nTreno\nNave o aliscafo",
        allow_other="on",
        widget="radio",
    )
    data.update(change)
    reply = team.post(reverse("surveys:question_edit", args=[answered.pk, single.pk]), data)
    assert reply.status_code == 200
    assert "Usa «Duplica come nuova versione»" in reply.content.decode()
    assert Option.objects.filter(question=single).count() == 5


def test_with_answers_structure_actions_are_refused(team, answered, q):
    section = answered.sections.first()
    for action in ("elimina", "su", "giu"):
        reply = team.post(
            reverse("surveys:item_action", args=[answered.pk, "sezione", section.pk, action]), follow=True
        )
        assert "ha già delle risposte" in reply.content.decode()
    reply = team.post(reverse("surveys:question_add", args=[answered.pk]), question_data(section, Kind.SHORT_TEXT))
    assert "ha già delle risposte" in reply.content.decode()
    assert answered.sections.count() == 3 and answered.questions.count() == 12


def test_duplicate_as_new_version_copies_everything_but_the_answers(team, answered, q):
    reply = team.post(reverse("surveys:publish", args=[answered.pk]), {"azione": "duplica"})
    copy = Questionnaire.objects.get(previous_version=answered)
    assert reply["Location"] == reverse("surveys:edit", args=[copy.pk])
    assert (copy.slug, copy.version, copy.status) == ("mobilita-v2", 2, "draft")
    assert copy.questions.count() == 12 and copy.responses.count() == 0
    assert (
        Option.objects.filter(question__questionnaire=copy).count()
        == Option.objects.filter(question__questionnaire=answered).count()
    )
    conditional = copy.questions.get(kind=Kind.NUMBER)
    assert conditional.condition_option.question.questionnaire == copy
    assert conditional.condition_option.label == "Sì"
    # The copy is unlocked.
    section = copy.sections.first()
    assert (
        team.post(reverse("surveys:question_add", args=[copy.pk]), question_data(section, Kind.SHORT_TEXT)).status_code
        == 302
    )


def test_cached_structure_is_reloaded_after_a_builder_change(team, survey):
    from surveys.answers import Structure

    before = Structure.cached(survey)
    assert Structure.cached(survey) is before
    section = survey.sections.first()
    team.post(reverse("surveys:question_add", args=[survey.pk]), question_data(section, Kind.SHORT_TEXT))
    survey.refresh_from_db()
    after = Structure.cached(survey)
    assert after is not before and len(after.questions) == len(before.questions) + 1


def test_with_answers_a_new_section_is_refused_on_the_form_keeping_what_was_typed(team, answered):
    reply = team.post(reverse("surveys:section_add", args=[answered.pk]), {"title": "Sezione in più"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "ha già delle risposte" in html and 'value="Sezione in più"' in html
    assert answered.sections.count() == 3


@pytest.mark.parametrize(("what", "action"), [("sezione", "cancella"), ("domanda", "xyz"), ("opzione", "elimina")])
def test_an_unknown_item_action_is_not_found_and_changes_nothing(team, survey, what, action):
    section = survey.sections.first()
    reply = team.post(reverse("surveys:item_action", args=[survey.pk, what, section.pk, action]))
    assert reply.status_code == 404
    assert survey.sections.count() == 3
    assert not [m.message for m in reply.wsgi_request._messages]


def test_the_edit_page_counts_the_responses_once(team, answered):
    with CaptureQueriesContext(connection) as queries:
        reply = team.get(reverse("surveys:edit", args=[answered.pk]))
    assert reply.context["locked"] and reply.context["response_count"] == 1
    assert sum("surveys_response" in query["sql"] for query in queries.captured_queries) == 1


def test_the_builder_forms_speak_italian_and_show_the_address_pattern(team, survey):
    question_page = team.get(reverse("surveys:question_add", args=[survey.pk])).content.decode()
    assert "Section" not in question_page and re.search(r"<label[^>]*>\s*Sezione", question_page)
    create_page = team.get(reverse("surveys:create")).content.decode()
    assert "/questionario/messina-2030/" in create_page and "/questionario//" not in create_page


@pytest.mark.parametrize("member", [m for m in CAST if m != "team_user"])
def test_only_the_team_publishes_even_with_the_confirmation(member, cast, login):
    questionnaire = Questionnaire.objects.create(
        title="Bozza", slug="bozza", privacy_notice="p", opens_at="2026-01-01T00:00Z", closes_at="2026-12-01T00:00Z"
    )
    section = Section.objects.create(questionnaire=questionnaire, title="S", order=1)
    Question.objects.create(questionnaire=questionnaire, section=section, kind=Kind.SHORT_TEXT, text="?")
    reply = login(cast(member)).post(
        reverse("surveys:publish", args=[questionnaire.pk]), {"azione": "pubblica", "conferma": "1"}
    )
    assert reply.status_code == (302 if member == "anonymous" else 403)
    questionnaire.refresh_from_db()
    assert not questionnaire.is_published
