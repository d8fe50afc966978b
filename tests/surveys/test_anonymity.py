"""Answers are not linked to a person; abuse is limited by cookie, address hash, honeypot and CSRF."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from surveys.models import Answer, Response
from surveys.services import ip_hash, response_submit
from tests.surveys.conftest import answer_through_pages, full_answers, section_posts

pytestmark = pytest.mark.django_db
IP = "203.0.113.77"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_response_has_no_field_that_points_at_a_person():
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {
        "id",
        "questionnaire",
        "submitted_on",
        "municipality",
        "resident_elsewhere",
        "age_band",
        "pending",  # the answers themselves, until they are spread into rows
        "nonce",  # random, drawn with the draft: the signed form is single-use (the cookie holds another id)
        "answers",
    }
    assert Response._meta.get_field("id").get_internal_type() == "UUIDField"
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    answer_fields = {f.name for f in Answer._meta.get_fields()}
    assert answer_fields == {"id", "response", "question", "option", "number", "rank", "municipality", "text"}


def test_nothing_stored_holds_the_address_the_account_or_the_time(survey, q, team_user):
    client = Client(REMOTE_ADDR=IP)
    client.force_login(team_user, backend="psm_portal.accounts.backends.RoleBackend")
    answer_through_pages(client, survey, section_posts(q))
    response = Response.objects.get()
    assert isinstance(response.pk, uuid.UUID)
    with connection.cursor() as cursor:
        for table in (Response._meta.db_table, Answer._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            assert IP not in dump and ip_hash(IP) not in dump
            assert team_user.email not in dump
    # The thank-you page, loaded right after sending, forgets the answers; the sign-in stays.
    client.get(reverse("surveys:thanks", args=[survey.slug]))
    assert not any(key.startswith("surveys:") for key in client.session.keys())
    assert client.session["_auth_user_id"] == str(team_user.pk)


def test_the_address_is_kept_only_as_a_salted_hash_in_the_cache(survey, q, settings):
    client = Client(REMOTE_ADDR=IP)
    answer_through_pages(client, survey, section_posts(q))
    key = f"ratelimit:surveys:{survey.pk}:{ip_hash(IP)}"
    assert cache.get(key) == 1
    assert IP not in key and len(ip_hash(IP)) == 64
    settings.SURVEYS_IP_SALT = "altro-sale"
    assert ip_hash(IP) not in key


def test_one_response_per_browser_by_signed_cookie(client, survey, q):
    answer_through_pages(client, survey, section_posts(q))
    cookie = client.cookies[f"psm_questionario_{survey.pk}"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get(reverse("surveys:start", args=[survey.slug]))
    assert "hai già risposto" in page.content.decode()
    answer_through_pages(client, survey, section_posts(q))
    assert Response.objects.count() == 1


def test_a_forged_cookie_is_not_trusted(client, survey):
    client.cookies[f"psm_questionario_{survey.pk}"] = "1"
    page = client.get(reverse("surveys:start", args=[survey.slug]))
    assert "Informativa sulla privacy" in page.content.decode()


def test_one_per_browser_can_be_switched_off_for_load_tests(client, survey, q, settings):
    settings.SURVEYS_ONE_PER_BROWSER = False
    answer_through_pages(client, survey, section_posts(q))
    answer_through_pages(client, survey, section_posts(q))
    assert Response.objects.count() == 2


def test_rate_limit_per_address(survey, q, settings):
    settings.SURVEYS_RATE_LIMIT = 2
    for _ in range(2):
        assert answer_through_pages(Client(REMOTE_ADDR=IP), survey, section_posts(q)).status_code == 302
    refused = answer_through_pages(Client(REMOTE_ADDR=IP), survey, section_posts(q))
    assert refused.status_code == 429
    assert "moltissime risposte in poco tempo" in refused.content.decode()
    assert 'class="breadcrumb-container"' in refused.content.decode()  # like every questionnaire page
    # Another address is not affected.
    assert answer_through_pages(Client(REMOTE_ADDR="198.51.100.1"), survey, section_posts(q)).status_code == 302
    assert Response.objects.count() == 3


def test_rate_limit_zero_means_no_limit(survey, q, settings):
    settings.SURVEYS_RATE_LIMIT = 0
    for _ in range(3):
        answer_through_pages(Client(REMOTE_ADDR=IP), survey, section_posts(q))
    assert Response.objects.count() == 3


def test_default_rate_limit_lets_a_school_room_answer(settings):
    assert settings.SURVEYS_RATE_LIMIT >= 30


def test_honeypot_filled_stores_nothing_and_looks_like_success(client, survey, q):
    posts = section_posts(q)
    posts[2]["sito_web"] = "http://spam.example"
    reply = answer_through_pages(client, survey, posts)
    assert reply["Location"] == reverse("surveys:thanks", args=[survey.slug])
    assert Response.objects.count() == 0


def test_honeypot_is_hidden_from_people(client, survey):
    client.post(reverse("surveys:start", args=[survey.slug]), {"privacy": "on"})
    html = client.get(reverse("surveys:section", args=[survey.slug, 1])).content.decode()
    assert '<div class="psm-honeypot" aria-hidden="true">' in html and 'tabindex="-1"' in html


def test_posts_without_csrf_token_are_refused(survey, q):
    client = Client(enforce_csrf_checks=True)
    reply = client.post(reverse("surveys:start", args=[survey.slug]), {"privacy": "on"})
    assert reply.status_code == 403
    assert Response.objects.count() == 0


def test_no_page_or_export_shows_the_row_numbers_or_the_keys(client, login, team_user, survey, q):
    """Answer row numbers follow the order of insertion: they, and the responses' keys, stay in the database."""
    for _ in range(2):
        response_submit(questionnaire=survey, answers=full_answers(q))
    survey.set_results_published(True)
    # Row numbers nothing else on the pages could show by chance.
    for offset, pk in enumerate(Answer.objects.order_by("id").values_list("id", flat=True)):
        Answer.objects.filter(pk=pk).update(id=7_340_001 + offset)
    secrets = [str(n) for n in Answer.objects.values_list("id", flat=True)]
    for key in Response.objects.values_list("id", flat=True):
        secrets += [str(key), key.hex]
    public = [
        b"".join(client.get(reverse("surveys:opendata_csv", args=[survey.slug])).streaming_content).decode(),
        client.get(reverse("surveys:opendata_json", args=[survey.slug])).content.decode(),
        client.get(reverse("surveys:results", args=[survey.slug])).content.decode(),
    ]
    team = login(team_user)
    workbook = load_workbook(io.BytesIO(team.get(reverse("surveys:export_xlsx", args=[survey.pk])).content))
    reserved = [
        team.get(reverse("surveys:results", args=[survey.slug])).content.decode(),
        repr([list(row) for row in workbook.active.iter_rows(values_only=True)]),
    ]
    for text in public + reserved:
        assert not any(secret in text for secret in secrets)


def test_behind_the_proxy_the_rate_limit_counts_the_address_the_proxy_added(survey, q, settings):
    settings.SURVEYS_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.SURVEYS_RATE_LIMIT = 1
    # The client writes whatever it likes on the left; the proxy appends the address it saw.
    for forged in ("10.0.0.1", "10.0.0.2"):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, {IP}")
        reply = answer_through_pages(client, survey, section_posts(q))
    assert reply.status_code == 429
    assert cache.get(f"ratelimit:surveys:{survey.pk}:{ip_hash(IP)}") == 2
    assert Response.objects.count() == 1
