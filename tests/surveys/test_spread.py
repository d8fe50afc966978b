"""A submission is one INSERT: its answers wait on the response (``pending``) until a worker, or the
first reader, spreads them into answer rows and running counts. The last section's form carries
the earlier answers, signed, so sending it needs no session to rebuild them; the session's draft is
then deleted."""

from __future__ import annotations

import logging
import re

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from psm_portal.celery import app as celery_app
from psm_portal.lib import memo
from surveys import answering, exports, spreading
from surveys.answers import Structure, forget_published, published_questionnaire
from surveys.models import Answer, Kind, Questionnaire, Response, Tally
from surveys.services import response_submit
from surveys.spreading import responses_spread, responses_spread_all
from surveys.tallies import tally_rebuild
from surveys.tasks import spread_responses, spread_soon
from tests.surveys.conftest import MESSINA, full_answers, section_posts

pytestmark = pytest.mark.django_db

CARRIED = re.compile(r'name="stato" value="([^"]+)"')


def url(name, *args):
    return reverse(f"surveys:{name}", args=args)


def up_to_last_page(client, survey, q) -> tuple[dict, str]:
    """Accept the privacy notice, send the first two sections, open the last: its form and carried state."""
    posts = section_posts(q)
    client.post(url("start", survey.slug), {"privacy": "on"})
    for number, data in enumerate(posts[:2], start=1):
        assert client.post(url("section", survey.slug, number), data).status_code == 302
    page = client.get(url("section", survey.slug, 3))
    assert page.status_code == 200
    return posts[2], CARRIED.search(page.content.decode()).group(1)


@pytest.fixture
def enqueued(monkeypatch):
    """The spreading runs asked for, instead of running them."""
    calls = []
    monkeypatch.setattr(spread_responses, "apply_async", lambda **kwargs: calls.append(kwargs))
    return calls


# --- the submission ---------------------------------------------------------------------------------


def test_sending_the_last_section_is_one_insert_and_the_draft_deleted(client, survey, q, enqueued):
    last, carried = up_to_last_page(client, survey, q)
    with CaptureQueriesContext(connection) as captured:
        reply = client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    assert reply.status_code == 302 and reply["Location"] == url("thanks", survey.slug)
    sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    writes = [s for s in sql if not s.startswith(("SELECT", "SAVEPOINT", "RELEASE"))]
    # The response, then (with database sessions) the anonymous session that held the earlier answers.
    assert writes[0].startswith("INSERT INTO SURVEYS_RESPONSE"), writes
    assert [w for w in writes[1:] if not w.startswith('DELETE FROM "DJANGO_SESSION"')] == [], writes
    assert len(writes) <= 2
    response = Response.objects.get()
    assert response.municipality_id == MESSINA
    assert len(response.pending) == 11 and not Answer.objects.exists()
    assert enqueued == [{"countdown": 0}]  # tasks run in-process in tests: at once
    # The answers are gone before the thank-you page is loaded.
    assert not any(key.startswith("surveys:") for key in client.session.keys())
    assert client.get(url("thanks", survey.slug)).status_code == 200


def test_the_carried_answers_are_those_of_the_page_and_equal_the_session_path(client, survey, q, enqueued):
    last, carried = up_to_last_page(client, survey, q)
    client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    through_form = Response.objects.get().pending
    Response.objects.all().delete()
    other = Client()
    other.post(url("start", survey.slug), {"privacy": "on"})
    for number, data in enumerate(section_posts(q), start=1):  # no carried state: the session is read
        other.post(url("section", survey.slug, number), data)
    assert Response.objects.get().pending == through_form


@pytest.mark.parametrize("tamper", ["forged", "other questionnaire", "empty"])
def test_carried_answers_that_do_not_hold_fall_back_on_the_session(client, survey, q, tamper, enqueued):
    last, carried = up_to_last_page(client, survey, q)
    if tamper == "forged":
        carried = carried[:-3] + ("AAA" if not carried.endswith("AAA") else "BBB")
    elif tamper == "other questionnaire":
        state = signing.loads(carried, salt=answering.STATE_SALT)
        carried = signing.dumps({**state, "questionnaire": survey.pk + 1}, salt=answering.STATE_SALT, compress=True)
    else:
        carried = ""
    reply = client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    assert reply["Location"] == url("thanks", survey.slug)
    assert Response.objects.count() == 1


def test_forged_carried_answers_without_a_session_store_nothing(survey, q, enqueued):
    last, carried = up_to_last_page(Client(), survey, q)
    state = signing.loads(carried, salt=answering.STATE_SALT)
    state["answers"][str(q(Kind.NUMBER).pk)] = 99999
    forged = signing.dumps(state, salt="another-salt", compress=True)
    stranger = Client()
    reply = stranger.post(url("section", survey.slug, 3), {**last, "stato": forged})
    assert reply["Location"] == url("start", survey.slug)
    assert not Response.objects.exists()


def test_sending_the_same_page_twice_stores_one_response(client, survey, q, enqueued):
    last, carried = up_to_last_page(client, survey, q)
    client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    again = client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    assert again.status_code == 200 and "already" in again.templates[0].name
    assert Response.objects.count() == 1


def test_on_a_shared_computer_the_sent_answers_are_shown_to_nobody(client, survey, q, settings, enqueued):
    """One response per browser off (a library's kiosk): the next person must not find the answers."""
    settings.SURVEYS_ONE_PER_BROWSER = False
    last, carried = up_to_last_page(client, survey, q)
    client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    # The thank-you page is skipped: going back to a section finds the answers spent.
    reply = client.get(url("section", survey.slug, 1))
    assert reply["Location"] == url("start", survey.slug)
    assert not any(key.startswith("surveys:") for key in client.session.keys())
    assert client.post(url("section", survey.slug, 3), {**last, "stato": carried})["Location"] == url(
        "start", survey.slug
    )
    assert Response.objects.count() == 1


def test_a_refused_browser_s_spent_answers_are_forgotten(client, survey, q, enqueued):
    """A sent draft left in the session (as the portal left them before the last section's POST forgot
    them): the next visit, refused, forgets the answers."""
    last, carried = up_to_last_page(client, survey, q)
    client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    session = client.session
    session[f"surveys:{survey.pk}"] = signing.loads(carried, salt=answering.STATE_SALT)
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert any(key.startswith("surveys:") for key in client.session.keys())
    reply = client.get(url("start", survey.slug))
    assert "already" in reply.templates[0].name
    assert not any(key.startswith("surveys:") for key in client.session.keys())


def test_the_answering_pages_are_never_cached(client, survey, q):
    last, carried = up_to_last_page(client, survey, q)
    for reply in (client.get(url("start", survey.slug)), client.get(url("section", survey.slug, 3))):
        assert "no-store" in reply["Cache-Control"]


def test_the_thank_you_page_keeps_answers_still_being_given(client, survey, q):
    client.post(url("start", survey.slug), {"privacy": "on"})
    client.post(url("section", survey.slug, 1), section_posts(q)[0])
    client.get(url("thanks", survey.slug))
    assert client.get(url("section", survey.slug, 2)).status_code == 200


# --- spreading --------------------------------------------------------------------------------------


def test_spreading_writes_the_answers_and_the_counts_once(survey, q):
    for _ in range(3):
        response_submit(questionnaire=survey, answers=full_answers(q))
    assert Response.objects.pending().count() == 3 and not Tally.objects.exists()
    assert responses_spread_all() == 3
    assert responses_spread_all() == 0
    assert not Response.objects.pending().exists()
    assert Answer.objects.count() == 3 * 14
    assert Tally.objects.get(questionnaire=survey, question_id=0).count == 3


def test_spreading_goes_in_batches(survey, q):
    for _ in range(5):
        response_submit(questionnaire=survey, answers=full_answers(q))
    assert responses_spread(limit=2) == 2
    assert Response.objects.pending().count() == 3
    assert responses_spread_all() == 3


def test_a_rebuild_with_responses_pending_counts_each_once(survey, q):
    for _ in range(2):
        response_submit(questionnaire=survey, answers=full_answers(q))
    responses_spread_all()
    response_submit(questionnaire=survey, answers=full_answers(q))  # still pending
    tally_rebuild(questionnaire=survey)
    assert Tally.objects.get(questionnaire=survey, question_id=0).count == 2
    responses_spread_all()
    after = Tally.objects.get(questionnaire=survey, question_id=0).count
    tally_rebuild(questionnaire=survey)
    assert after == Tally.objects.get(questionnaire=survey, question_id=0).count == 3


@pytest.mark.parametrize(
    "payload",
    [
        "not a mapping",
        "a key that is not a question",
        "single: an unknown option",
        "single: a value of the wrong kind",
    ],
)
def test_unreadable_pending_responses_are_logged_and_hold_back_no_other(survey, q, caplog, monkeypatch, payload):
    """Batches of two over six responses, the first two unreadable: the four others are spread."""
    single = str(q(Kind.SINGLE, 0).pk)
    payload = {
        "single: an unknown option": {single: {"option": 999999}},
        "single: a value of the wrong kind": {single: 7},
        "a key that is not a question": {"x": 1},
    }.get(payload, payload)
    monkeypatch.setattr(spreading, "SPREAD_BATCH", 2)
    responses = [response_submit(questionnaire=survey, answers=full_answers(q)) for _ in range(6)]
    bad = sorted(r.pk for r in responses)[:2]  # spread in key order: these come first in every pass
    Response.objects.filter(pk__in=bad).update(pending=payload)
    with caplog.at_level(logging.ERROR, logger="surveys.spreading"):
        assert responses_spread_all() == 4
    assert all(str(pk) in caplog.text for pk in bad)
    assert set(Response.objects.pending().values_list("pk", flat=True)) == set(bad)
    assert Answer.objects.count() == 4 * 14
    assert Tally.objects.get(questionnaire=survey, question_id=0).count == 4
    assert responses_spread_all() == 0  # and they stay pending, for a person to look at


def test_a_response_choosing_an_option_removed_meanwhile_fails_no_reader(client, survey, q, caplog):
    """A process that still had the old structure took an option the builder had just removed."""
    single = q(Kind.SINGLE, 0)
    response_submit(questionnaire=survey, answers=full_answers(q))
    Response.objects.update(pending={**Response.objects.get().pending, str(single.pk): {"option": 123456}})
    survey.set_results_published(True)
    with caplog.at_level(logging.ERROR, logger="surveys.spreading"):
        reply = client.get(url("results", survey.slug))
    assert reply.status_code == 200
    assert Response.objects.pending().count() == 1 and not Answer.objects.exists()


def test_a_database_error_while_spreading_leaves_the_page_readable(client, survey, q, monkeypatch, caplog):
    from django.db import DatabaseError

    response_submit(questionnaire=survey, answers=full_answers(q))
    survey.set_results_published(True)

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(spreading, "_spread_batch", broken)
    with caplog.at_level(logging.ERROR, logger="surveys.spreading"):
        reply = client.get(url("results", survey.slug))
    assert reply.status_code == 200 and "could not be spread" in caplog.text


def test_a_page_view_spreads_a_bounded_number_of_batches(client, survey, q, monkeypatch):
    monkeypatch.setattr(spreading, "SPREAD_BATCH", 2)
    for _ in range(2 * spreading.READER_ROUNDS + 1):
        response_submit(questionnaire=survey, answers=full_answers(q))
    survey.set_results_published(True)
    client.get(url("results", survey.slug))
    assert Response.objects.pending().count() == 1  # the worker spreads the rest


def test_answers_to_a_question_deleted_meanwhile_are_dropped(survey, q):
    response = response_submit(questionnaire=survey, answers=full_answers(q))
    long_text = q(Kind.LONG_TEXT)
    Answer.objects.filter(question=long_text).delete()
    long_text.delete()
    assert responses_spread_all() == 1
    assert Answer.objects.filter(response=response).count() == 13


def test_the_exports_include_responses_not_yet_spread(survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q))
    structure = Structure.load(survey)
    cols = exports.columns(structure, include_open=False)
    rows = list(exports.rows(structure, cols, with_day=False))
    assert len(rows) == 1
    assert "Autobus" in rows[0] and "Sanità" not in rows[0]  # the single choice; no «Altro» text in public
    assert not Response.objects.pending().exists()


def test_the_spreading_task_spreads_and_returns_how_many(survey, q):
    response_submit(questionnaire=survey, answers=full_answers(q))
    assert spread_responses.apply().get() == 1


# --- asking a worker -------------------------------------------------------------------------------------


def test_a_process_asks_a_worker_at_most_once_per_delay(monkeypatch, settings, enqueued):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    settings.SURVEYS_SPREAD_DELAY_SECONDS = 2
    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    spread_soon()
    clock[0] += 1.9
    spread_soon()
    assert enqueued == [{"countdown": 3}]  # after the delay: every response that did not ask is stored by then
    clock[0] += 0.2
    spread_soon()
    assert len(enqueued) == 2


def test_with_tasks_in_process_every_response_is_spread_at_once(enqueued):
    spread_soon()
    spread_soon()
    assert enqueued == [{"countdown": 0}, {"countdown": 0}]


def test_a_broker_that_is_down_never_fails_a_submission(client, survey, q, monkeypatch, caplog):
    def down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(spread_responses, "apply_async", down)
    with caplog.at_level(logging.ERROR, logger="surveys.tasks"):
        last, carried = up_to_last_page(client, survey, q)
        reply = client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    assert reply["Location"] == url("thanks", survey.slug)
    assert "could not be enqueued" in caplog.text
    assert Response.objects.pending().count() == 1  # readers spread it


# --- the questionnaire kept per process ----------------------------------------------------------------


def test_the_questionnaire_being_answered_is_read_once_per_interval(survey, settings, django_assert_num_queries):
    settings.SURVEYS_CACHE_SECONDS = 5
    forget_published()
    with django_assert_num_queries(1):
        assert published_questionnaire(survey.slug) == survey
        assert published_questionnaire(survey.slug) == survey
    survey.title = "Titolo corretto"
    survey.save()  # a change saved in this process is seen at once
    with django_assert_num_queries(1):
        assert published_questionnaire(survey.slug).title == "Titolo corretto"
    survey.touch()
    with django_assert_num_queries(1):
        published_questionnaire(survey.slug)
    Questionnaire.objects.filter(pk=survey.pk).update(status=Questionnaire.Status.DRAFT)
    forget_published()
    with django_assert_num_queries(1):
        assert published_questionnaire(survey.slug) is None
    with django_assert_num_queries(1):
        assert published_questionnaire(survey.slug) is None  # an unknown slug is never kept
