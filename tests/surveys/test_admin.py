"""The admin keeps the builder's locks once a questionnaire has responses, and refreshes cached structures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.answers import Structure
from surveys.models import Kind, Option, Question
from surveys.services import LOCKED_FIELDS, response_submit
from tests.surveys.conftest import full_answers

pytestmark = pytest.mark.django_db


def change_url(question) -> str:
    return reverse("admin:surveys_question_change", args=[question.pk])


def post_data(question, **changes) -> dict:
    options = list(question.options.all())
    data = {
        "text": question.text,
        "help_text": question.help_text,
        "required": "on" if question.required else "",
        "widget": question.widget,
        "likert_labels": "[]",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for index, option in enumerate(options):
        data[f"options-{index}-id"] = str(option.pk)
        data[f"options-{index}-question"] = str(question.pk)
        data[f"options-{index}-label"] = option.label
    data.update(changes)
    return data


@pytest.fixture
def answered(survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q))
    return survey


def test_with_responses_the_locked_fields_are_read_only(login, team_user, answered, q):
    single = q(Kind.SINGLE, 0)
    reply = login(team_user).get(change_url(single))
    assert reply.status_code == 200
    html = reply.content.decode()
    assert 'name="text"' in html
    for name in (*LOCKED_FIELDS, "section"):
        assert f'name="{name}"' not in html
    options = reply.context["inline_admin_formsets"][0]
    assert not options.has_add_permission and not options.has_delete_permission
    assert 'name="options-0-DELETE"' not in html and 'name="options-0-is_other"' not in html


def test_with_responses_only_texts_change_and_the_structure_refreshes(login, team_user, answered, q):
    single = q(Kind.SINGLE, 0)
    Structure.cached(answered)
    first = single.options.first()
    data = post_data(single, text="Quale mezzo usi più spesso?", kind=Kind.MULTIPLE, max_choices="2")
    data["options-0-label"] = "Automobile"
    data["options-0-DELETE"] = "on"
    data["options-1-DELETE"] = "on"
    # An extra option smuggled into the post.
    data.update({"options-TOTAL_FORMS": str(single.options.count() + 1)})
    data[f"options-{single.options.count()}-label"] = "Monopattino"
    reply = login(team_user).post(change_url(single), data)
    assert reply.status_code == 302, reply.context and reply.context["adminform"].form.errors
    single.refresh_from_db()
    assert single.text == "Quale mezzo usi più spesso?"
    assert single.kind == Kind.SINGLE and single.max_choices is None
    assert single.options.count() == 5 and not Option.objects.filter(label="Monopattino").exists()
    assert Option.objects.get(pk=first.pk).label == "Automobile"
    answered.refresh_from_db()
    structure = Structure.cached(answered)
    assert structure.questions[single.pk].text == "Quale mezzo usi più spesso?"


def test_with_responses_no_question_is_added_or_deleted(login, team_user, answered, q):
    client = login(team_user)
    before = Question.objects.count()
    reply = client.post(
        reverse("admin:surveys_question_add"),
        {
            "questionnaire": answered.pk,
            "section": answered.sections.first().pk,
            "kind": Kind.SHORT_TEXT,
            "text": "Una domanda in più?",
            "order": "9",
            "widget": "radio",
            "likert_labels": "[]",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        },
    )
    assert reply.status_code == 200
    assert "non si possono aggiungere domande" in reply.content.decode()
    assert Question.objects.count() == before
    short = q(Kind.SHORT_TEXT, 1)
    assert client.post(reverse("admin:surveys_question_delete", args=[short.pk]), {"post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=short.pk).exists()


def test_without_responses_everything_stays_editable(login, team_user, survey, q):
    single = q(Kind.SINGLE, 0)
    html = login(team_user).get(change_url(single)).content.decode()
    assert 'name="kind"' in html and 'name="options-0-DELETE"' in html


def test_a_section_renamed_in_the_admin_reaches_the_cached_structure(login, team_user, survey):
    Structure.cached(survey)
    sections = list(survey.sections.order_by("order"))
    data = {
        "title": survey.title,
        "slug": survey.slug,
        "introduction": survey.introduction,
        "privacy_notice": survey.privacy_notice,
        "opens_at_0": survey.opens_at.strftime("%d/%m/%Y"),
        "opens_at_1": survey.opens_at.strftime("%H:%M:%S"),
        "closes_at_0": survey.closes_at.strftime("%d/%m/%Y"),
        "closes_at_1": survey.closes_at.strftime("%H:%M:%S"),
        "status": survey.status,
        "version": survey.version,
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for index, section in enumerate(sections):
        data[f"sections-{index}-id"] = str(section.pk)
        data[f"sections-{index}-questionnaire"] = str(survey.pk)
        data[f"sections-{index}-title"] = "Chi siete" if index == 0 else section.title
        data[f"sections-{index}-description"] = section.description
        data[f"sections-{index}-order"] = str(section.order)
    reply = login(team_user).post(reverse("admin:surveys_questionnaire_change", args=[survey.pk]), data)
    assert reply.status_code == 302, reply.context and reply.context["adminform"].form.errors
    survey.refresh_from_db()
    assert Structure.cached(survey).sections[0].title == "Chi siete"
