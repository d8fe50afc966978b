from __future__ import annotations

import pytest

from tests.conftest import CAST

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_enters_the_admin(who, cast, login):
    client = login(cast(who))
    response = client.get("/admin/", follow=True)
    if who == "team_user":
        assert response.status_code == 200
        assert response.redirect_chain == []
    elif who == "anonymous":
        assert response.redirect_chain[-1][0].startswith("/accedi/?next=")
        assert response.status_code == 200
    else:
        # Signed in with another role: a clear refusal, never a redirect loop.
        assert response.status_code == 403
        assert "riservata" in response.content.decode()


def test_team_can_open_a_model_page_in_the_admin(team_user, login):
    assert login(team_user).get("/admin/accounts/user/").status_code == 200
