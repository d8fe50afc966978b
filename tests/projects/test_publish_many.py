"""An office publishes many drafts at once from its list: confirmed first, each one in its history and the audit
log, never a project of another office."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.factories import ProjectFactory
from projects.models import ChangeKind, Project, Publication
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

URL = reverse("projects:publish_many")


@pytest.fixture
def drafts(office_a, office_b):
    mine = [ProjectFactory(office=office_a, publication=Publication.DRAFT, title=f"Strada {n}") for n in range(3)]
    theirs = ProjectFactory(office=office_b, publication=Publication.DRAFT, title="Bosco")
    return {"mine": mine, "theirs": theirs}


def _published() -> set[str]:
    return set(Project.objects.filter(publication=Publication.PUBLISHED).values_list("title", flat=True))


def test_the_list_offers_to_tick_the_drafts(login, office_a_user, drafts):
    html = login(office_a_user).get(reverse("projects:office_projects")).content.decode()
    assert html.count('name="progetto"') == 3 and "Pubblica le bozze scelte" in html
    assert f'action="{URL}"' in html


def test_publishing_many_asks_first_then_publishes_each_with_its_history(login, office_a_user, drafts):
    client = login(office_a_user)
    ids = [str(p.pk) for p in drafts["mine"][:2]]
    page = client.post(URL, {"progetto": ids}).content.decode()
    assert "Pubblicare 2 progetti nel catalogo?" in page and "«Strada 0», «Strada 1»" in page
    assert f'name="progetti" value="{",".join(ids)}"' in page
    assert _published() == set() and not AuditEvent.objects.exists()
    response = client.post(URL, {"progetti": ",".join(ids), "conferma": "1"})
    assert response.status_code == 302
    assert _published() == {"Strada 0", "Strada 1"}
    assert AuditEvent.objects.filter(action="project.publish").count() == 2
    for project in drafts["mine"][:2]:
        assert project.changes.filter(kind=ChangeKind.PUBLISHED).count() == 1


def test_the_team_publishes_drafts_of_any_office(login, team_user, drafts):
    ids = [drafts["mine"][0].pk, drafts["theirs"].pk]
    login(team_user).post(URL, {"progetti": ",".join(map(str, ids)), "conferma": "1"})
    assert _published() == {"Strada 0", "Bosco"}


def test_a_project_of_another_office_refuses_the_whole_act(login, office_a_user, drafts):
    ids = [drafts["mine"][0].pk, drafts["theirs"].pk]
    response = login(office_a_user).post(URL, {"progetti": ",".join(map(str, ids)), "conferma": "1"})
    assert response.status_code == 403 and _published() == set()


@pytest.mark.parametrize("forged", ["999999", "abc", "\x00", "1" * 40, ""])
def test_forged_ids_change_nothing(login, office_a_user, drafts, forged):
    response = login(office_a_user).post(URL, {"progetti": forged, "conferma": "1"})
    assert response.status_code in (302, 403) and _published() == set()


def test_nothing_ticked_is_a_message(login, office_a_user, drafts):
    response = login(office_a_user).post(URL, {"conferma": "1"}, follow=True)
    assert "Scegli almeno un progetto in bozza da pubblicare." in response.content.decode()


@pytest.mark.parametrize("who", [w for w in CAST if w not in ("team_user", "office_a_user")])
def test_nobody_else_publishes_the_offices_drafts(login, cast, drafts, who):
    ids = ",".join(str(p.pk) for p in drafts["mine"])
    response = login(cast(who)).post(URL, {"progetti": ids, "conferma": "1"})
    expected = {"anonymous": 302}.get(who, 403)
    assert response.status_code == expected and _published() == set()
