"""A published plan document is an update for every news subscriber."""

from __future__ import annotations

import pytest

from plan.models import PlanDocument
from plan.services import record_document_published
from subscriptions.models import Update, UpdateKind

pytestmark = pytest.mark.django_db


def test_a_published_document_is_recorded_for_the_subscribers():
    document = PlanDocument(kind="draft", version=2)
    record_document_published(document)
    update = Update.objects.get()
    assert update.kind == UpdateKind.DOCUMENT and "v2" in update.title and update.url == "/piano/"
    assert set(update.topics.values_list("topic", "key")) == {("notizie", "")}
