"""Who reads a position in the reserved area, with its document: one rule (``Position.objects.readable_by``) for the
list of a comune's positions and for downloading the document, over the whole cast, during a review and after it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phases.factories import PositionFactory, VisionVersionFactory
from phases.models import Position, VisionStatus
from tests.conftest import CAST
from tests.files import pdf

pytestmark = pytest.mark.django_db

COMMENT = "Commento del comune di Messina sulla Visione"

# Who reads Messina's position (its comment on the list, its document) while the review is open, and once it is over.
READERS = {
    "open": {"team_user", "mayor_a"},
    "closed": {"team_user", "mayor_a", "council_user"},
}
# Who opens the page listing Messina's positions: the team and Messina's mayor.
LIST_OPENERS = {"team_user", "mayor_a"}


@pytest.fixture(params=["open", "closed"])
def review(request, listening_now, messina, mayor_a, office_a, office_b):
    if request.param == "open":
        version = VisionVersionFactory(number=1, open_for_review=True)
    else:
        version = VisionVersionFactory(number=1, status=VisionStatus.CLOSED)
    position = PositionFactory(version=version, municipality=messina, author=mayor_a, comment=COMMENT)
    position.attachment.save("documento.pdf", pdf(), save=True)
    position.attachment_name = "parere.pdf"
    position.save()
    return request.param, position


@pytest.mark.parametrize("who", CAST)
def test_the_list_and_the_download_follow_one_rule(review, login, cast, who):
    state, position = review
    user = cast(who)
    client = login(user)
    may_read = who in READERS[state]

    download = client.get(reverse("phases:position_attachment", args=[position.pk]))
    if who == "anonymous":
        assert download.status_code == 302 and "/accedi/" in download["Location"]
    else:
        assert download.status_code == (200 if may_read else 404), (state, who, download.status_code)

    page = client.get(reverse("phases:positions", args=["comune", "083048"]))
    if who == "anonymous":
        assert page.status_code == 302
    elif who in LIST_OPENERS:
        assert page.status_code == 200
        html = page.content.decode()
        assert (COMMENT in html) == may_read
        assert (reverse("phases:position_attachment", args=[position.pk]) in html) == may_read
    else:
        assert page.status_code == 403
    assert Position.objects.readable_by(user).filter(pk=position.pk).exists() == may_read
