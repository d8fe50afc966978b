"""The demo data: published news linked to demo objectives, projects and comuni; one confirmed subscriber whose
first digest carries them."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from news.models import News
from subscriptions.models import Subscriber
from subscriptions.services import digest_send

pytestmark = pytest.mark.django_db


def test_the_demo_has_linked_news_and_a_confirmed_subscriber(client):
    call_command("seed_demo", stdout=io.StringIO())
    news = News.objects.published()
    assert news.count() == 3
    assert news.filter(objectives__isnull=False).exists() and news.filter(projects__isnull=False).exists()
    assert news.filter(municipalities__istat_code="083048").exists()
    assert client.get(reverse("news:list")).status_code == 200
    subscriber = Subscriber.objects.get(email="cittadina@demo.psm.local")
    assert subscriber.is_confirmed
    assert digest_send() == 1
    assert "Al via l'ascolto dei comuni" in mail.outbox[0].body
    call_command("seed_demo", stdout=io.StringIO())
    assert News.objects.count() == 3 and Subscriber.objects.count() == 1
