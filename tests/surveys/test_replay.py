"""Scripted submissions: the last section's signed form is single-use, and the rate limit counts a network.

The signed state the last section's form carries used to be accepted as often as it was sent: a client without
cookies (no "answered" cookie, no session) stored one response per replay. Now the draft's nonce goes into the
response under a unique index, so a replay stores nothing and is told so (409).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from surveys import answering
from surveys.models import Response
from surveys.services import AlreadySubmitted, response_submit
from tests.surveys.conftest import answer_through_pages, full_answers, section_posts

pytestmark = pytest.mark.django_db

CARRIED = re.compile(r'name="stato" value="([^"]+)"')


def url(name, *args):
    return reverse(f"surveys:{name}", args=args)


def last_page(client, survey, q) -> tuple[dict, str]:
    """Answer the first two sections; the last section's fields and the signed state its form carries."""
    posts = section_posts(q)
    client.post(url("start", survey.slug), {"privacy": "on"})
    for number, data in enumerate(posts[:2], start=1):
        assert client.post(url("section", survey.slug, number), data).status_code == 302
    page = client.get(url("section", survey.slug, 3)).content.decode()
    return posts[2], CARRIED.search(page).group(1)


def test_replaying_the_last_form_from_a_client_without_cookies_stores_one_response(survey, q):
    last, carried = last_page(Client(), survey, q)
    first = Client().post(url("section", survey.slug, 3), {**last, "stato": carried})
    assert first.status_code == 302 and first["Location"] == url("thanks", survey.slug)
    for _ in range(5):
        replay = Client().post(url("section", survey.slug, 3), {**last, "stato": carried})
        assert replay.status_code == 409
        page = replay.content.decode()
        assert "Questa risposta è già stata inviata" in page
        assert 'class="breadcrumb-container"' in page  # a questionnaire page like the others
    assert Response.objects.count() == 1


def test_a_double_click_stores_one_response_and_says_so(client, survey, q):
    last, carried = last_page(client, survey, q)
    assert client.post(url("section", survey.slug, 3), {**last, "stato": carried}).status_code == 302
    # The second click left before the first reply (and its "answered" cookie) came back.
    del client.cookies[f"psm_questionario_{survey.pk}"]
    again = client.post(url("section", survey.slug, 3), {**last, "stato": carried})
    assert again.status_code == 409
    assert again.cookies[f"psm_questionario_{survey.pk}"].value  # the browser is marked as having answered
    assert Response.objects.count() == 1


def test_each_draft_has_its_own_nonce_so_two_citizens_both_answer(survey, q):
    for _ in range(2):
        assert answer_through_pages(Client(), survey, section_posts(q)).status_code == 302
    nonces = list(Response.objects.values_list("nonce", flat=True))
    assert len(set(nonces)) == 2 and None not in nonces


def test_the_answered_cookie_does_not_name_the_response(client, survey, q):
    """The nonce is not the draft id the browser's cookie keeps: the cookie cannot find the response."""
    answer_through_pages(client, survey, section_posts(q))
    cookie = client.cookies[f"psm_questionario_{survey.pk}"].value
    draft_id = cookie.split(":")[0]  # "<draft id>:<time>:<signature>"
    assert len(draft_id) == 16
    response = Response.objects.get()
    assert draft_id not in {response.nonce.hex, str(response.nonce), response.pk.hex}


def test_a_carried_state_without_a_nonce_is_not_trusted(survey, q):
    """A form signed before drafts had a nonce (or forged without one) falls back on the session: a client
    without cookies has none, and nothing is stored."""
    last, carried = last_page(Client(), survey, q)
    state = signing.loads(carried, salt=answering.STATE_SALT)
    del state["nonce"]
    old = signing.dumps(state, salt=answering.STATE_SALT, compress=True)
    reply = Client().post(url("section", survey.slug, 3), {**last, "stato": old})
    assert reply["Location"] == url("start", survey.slug)
    assert not Response.objects.exists()


def test_a_session_draft_begun_before_nonces_gets_one_and_is_sent_once(survey, q):
    client = Client()
    last, _carried = last_page(client, survey, q)
    session = client.session
    key = f"surveys:{survey.pk}"
    draft = session[key]
    del draft["nonce"]
    session[key] = draft
    session.save()
    page = client.get(url("section", survey.slug, 3)).content.decode()
    assert client.session[key]["nonce"]  # given one, and kept
    carried = CARRIED.search(page).group(1)
    assert Client().post(url("section", survey.slug, 3), {**last, "stato": carried}).status_code == 302
    assert Client().post(url("section", survey.slug, 3), {**last, "stato": carried}).status_code == 409
    assert Response.objects.count() == 1


def test_the_service_stores_one_response_per_nonce(survey, q):
    nonce = uuid.uuid4()
    response_submit(questionnaire=survey, answers=full_answers(q), nonce=nonce)
    with pytest.raises(AlreadySubmitted) as refused:
        response_submit(questionnaire=survey, answers=full_answers(q), nonce=nonce)
    assert isinstance(refused.value, ValidationError)
    assert refused.value.messages == ["Questa risposta è già stata inviata."]
    assert Response.objects.get().nonce == nonce
    # Without a nonce (the team's imports, the demo) nothing is deduplicated.
    response_submit(questionnaire=survey, answers=full_answers(q))
    response_submit(questionnaire=survey, answers=full_answers(q))
    assert Response.objects.count() == 3


# --- the rate limit counts a network ----------------------------------------------------------------


def answer_from(address: str, survey, q) -> int:
    return answer_through_pages(Client(REMOTE_ADDR=address), survey, section_posts(q)).status_code


def test_two_addresses_of_one_ipv6_64_share_the_limit(survey, q, settings):
    settings.SURVEYS_RATE_LIMIT = 2
    assert answer_from("2001:db8:aa:1::1", survey, q) == 302
    assert answer_from("2001:db8:aa:1:ffff:1234:5678:9abc", survey, q) == 302
    assert answer_from("2001:db8:aa:1::42", survey, q) == 429
    assert Response.objects.count() == 2


def test_addresses_in_different_64s_do_not_share_the_limit(survey, q, settings):
    settings.SURVEYS_RATE_LIMIT = 1
    assert answer_from("2001:db8:aa:1::1", survey, q) == 302
    assert answer_from("2001:db8:aa:2::1", survey, q) == 302
    assert answer_from("2001:db8:bb:1::1", survey, q) == 302
    assert answer_from("2001:db8:aa:1::2", survey, q) == 429
    assert Response.objects.count() == 3


def test_an_ipv4_mapped_address_counts_as_the_ipv4_one(survey, q, settings):
    settings.SURVEYS_RATE_LIMIT = 1
    assert answer_from("203.0.113.9", survey, q) == 302
    assert answer_from("::ffff:203.0.113.9", survey, q) == 429
