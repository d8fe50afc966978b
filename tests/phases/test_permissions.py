"""Every view of the phases app and of the istanze, for the whole cast."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phases.factories import NeedFactory, PositionFactory, VisionVersionFactory
from phases.models import NeedAttachment, Position
from tests.conftest import CAST
from tests.files import pdf

pytestmark = pytest.mark.django_db

OK, LOGIN, DENIED, HIDDEN, REDIRECT = 200, "login", 403, 404, 302

EVERYBODY = dict.fromkeys(CAST, OK)


def only(*allowed, others=DENIED, anonymous=LOGIN) -> dict:
    expected = {who: (OK if who in allowed else others) for who in CAST}
    expected["anonymous"] = anonymous
    return expected


TEAM_ONLY = only("team_user")


@pytest.fixture
def world(tree, open_version, messina, mayor_a, office_a):
    draft = VisionVersionFactory(number=2)
    position = PositionFactory(version=open_version, municipality=messina, author=mayor_a)
    position.attachment.save("documento.pdf", pdf(), save=True)
    need = NeedFactory(municipality=messina, author=mayor_a)
    attachment = NeedAttachment(need=need, name="relazione.pdf", size=10)
    attachment.file.save("documento.pdf", pdf(), save=True)
    return {"draft": draft, "position": position, "need": need, "attachment": attachment, "tree": tree}


GET_VIEWS = {
    "timeline": (lambda w: reverse("phases:timeline"), EVERYBODY),
    "vision": (lambda w: reverse("phases:vision"), EVERYBODY),
    "versions": (lambda w: reverse("phases:vision_versions"), EVERYBODY),
    "version": (lambda w: reverse("phases:vision_version", args=[1]), EVERYBODY),
    "draft_version": (
        lambda w: reverse("phases:vision_version", args=[2]),
        only("team_user", others=HIDDEN, anonymous=HIDDEN),
    ),
    "objective": (lambda w: reverse("phases:objective", args=["A1"]), EVERYBODY),
    "objective_specific": (lambda w: reverse("phases:objective", args=["A1.1"]), EVERYBODY),
    "opendata_objectives": (lambda w: reverse("phases:opendata_objectives"), EVERYBODY),
    "opendata_positions": (lambda w: reverse("phases:opendata_positions"), EVERYBODY),
    "municipality_page": (lambda w: reverse("municipalities:detail", args=["083048"]), EVERYBODY),
    "manage": (lambda w: reverse("phases:manage"), TEAM_ONLY),
    "manage_vision": (lambda w: reverse("phases:manage_vision"), TEAM_ONLY),
    "version_create": (lambda w: reverse("phases:version_create"), TEAM_ONLY),
    "version_edit": (lambda w: reverse("phases:version_edit", args=[w["draft"].pk]), TEAM_ONLY),
    "objective_create": (lambda w: reverse("phases:objective_create"), TEAM_ONLY),
    "objective_edit": (lambda w: reverse("phases:objective_edit", args=[w["tree"]["A1"].pk]), TEAM_ONLY),
    "coverage": (lambda w: reverse("phases:coverage"), TEAM_ONLY),
    "needs_review": (lambda w: reverse("phases:needs_review"), TEAM_ONLY),
    "my_positions": (
        lambda w: reverse("phases:my_positions"),
        only("mayor_a", "mayor_b", "office_a_user", "office_b_user"),
    ),
    "positions_messina": (
        lambda w: reverse("phases:positions", args=["comune", "083048"]),
        only("team_user", "mayor_a"),
    ),
    "positions_lipari": (
        lambda w: reverse("phases:positions", args=["comune", "083041"]),
        only("team_user", "mayor_b"),
    ),
    "positions_office_a": (
        lambda w: reverse("phases:positions", args=["ufficio", "viabilita"]),
        only("team_user", "office_a_user"),
    ),
    # The review is open: the council reads its positions, documents included, once it is over
    # (tests/phases/test_position_readers.py).
    "position_attachment": (
        lambda w: reverse("phases:position_attachment", args=[w["position"].pk]),
        only("team_user", "mayor_a", others=HIDDEN),
    ),
    "needs": (lambda w: reverse("phases:needs"), only("mayor_a", "mayor_b")),
    "need_create": (lambda w: reverse("phases:need_create"), only("mayor_a", "mayor_b")),
    "need_detail": (
        lambda w: reverse("phases:need_detail", args=[w["need"].pk]),
        only("team_user", "mayor_a", others=HIDDEN),
    ),
    "need_attachment": (
        lambda w: reverse("phases:need_attachment", args=[w["attachment"].pk]),
        only("team_user", "mayor_a", others=HIDDEN),
    ),
}


@pytest.mark.parametrize("who", CAST)
@pytest.mark.parametrize("view", GET_VIEWS)
def test_get_for_the_whole_cast(world, login, cast, office_b, view, who):
    url_for, expected = GET_VIEWS[view]
    response = login(cast(who)).get(url_for(world))
    wanted = expected[who]
    if view == "my_positions" and wanted == OK:
        assert response.status_code == REDIRECT  # to the page of the user's own municipality or office
        return
    if wanted == LOGIN:
        assert response.status_code == 302 and "/accedi/" in response["Location"]
    else:
        assert response.status_code == wanted, (view, who, response.status_code)


TEAM_POSTS = {
    "phase_close": lambda w: (reverse("phases:phase_close", args=[1]), {"conferma": "1", "avvia_successiva": "1"}),
    "phase_dates": lambda w: (reverse("phases:phase_dates", args=[1]), {}),
    "version_open": lambda w: (reverse("phases:version_open", args=[w["draft"].pk]), {"deadline": "2099-01-01T10:00"}),
    "version_close": lambda w: (reverse("phases:version_close", args=[1]), {"conferma": "1"}),
    "version_adopt": lambda w: (reverse("phases:version_adopt", args=[1]), {"conferma": "1"}),
    "coverage_remind": lambda w: (reverse("phases:coverage_remind"), {}),
    "version_create": lambda w: (reverse("phases:version_create"), {"title": "x", "text": "<p>y</p>"}),
    "objective_create": lambda w: (reverse("phases:objective_create"), {"code": "Z", "order": 9, "title": "Zeta"}),
}


@pytest.mark.parametrize("who", [w for w in CAST if w != "team_user"])
@pytest.mark.parametrize("action", TEAM_POSTS)
def test_team_actions_are_refused_to_everybody_else(world, login, cast, office_b, action, who):
    url, data = TEAM_POSTS[action](world)
    response = login(cast(who)).post(url, data)
    if who == "anonymous":
        assert response.status_code == 302 and "/accedi/" in response["Location"]
    else:
        assert response.status_code == 403
    world["draft"].refresh_from_db()
    assert world["draft"].is_draft


@pytest.mark.parametrize("who", ["mayor_a", "mayor_b", "office_a_user", "council_user", "stakeholder_user"])
def test_only_the_team_reviews_a_need(world, login, cast, who):
    need = world["need"]
    response = login(cast(who)).post(
        reverse("phases:need_detail", args=[need.pk]), {"status": "taken", "tags": "x", "reply": "forged"}
    )
    assert response.status_code in (403, 404)
    need.refresh_from_db()
    assert need.reply == "" and need.status == "received"


def test_team_reviews_a_need_and_the_mayor_reads_the_reply(world, login, team_user, mayor_a):
    need = world["need"]
    url = reverse("phases:need_detail", args=[need.pk])
    response = login(team_user).post(
        url, {"status": "taken", "tags": "viabilità,  porti ,", "reply": "Inserita in A1."}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.tags == "viabilità, porti" and need.replied_by == team_user
    assert "Inserita in A1." in login(mayor_a).get(url).content.decode()


def test_pages_never_link_to_public_media(world, login, team_user, mayor_a):
    for user, url in [
        (mayor_a, reverse("phases:positions", args=["comune", "083048"])),
        (team_user, reverse("phases:need_detail", args=[world["need"].pk])),
    ]:
        html = login(user).get(url).content.decode()
        assert "/media/" not in html and "private/" not in html
    assert Position.objects.get().attachment.name.startswith("private/positions/")
