from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Answer, Response
from tests.surveys.conftest import answer_through_pages, section_posts

pytestmark = pytest.mark.django_db


def test_a_citizen_answers_every_section_and_lands_on_thanks(client, survey, q):
    reply = answer_through_pages(client, survey, section_posts(q))
    assert reply.status_code == 302, reply.content.decode()[:3000]
    assert reply["Location"] == reverse("surveys:thanks", args=[survey.slug])
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 14
