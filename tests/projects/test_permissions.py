"""Every view of the projects app, for the whole cast; an office never sees another office's drafts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.factories import ProposalFactory
from projects.models import Project, ProjectImport, Publication
from tests.conftest import CAST
from tests.projects.conftest import csv_bytes, good_row

pytestmark = pytest.mark.django_db

RESERVED_WRITERS = {"team_user": 200, "office_a_user": 200, "office_b_user": 200}


def expect(overrides: dict, default: int) -> list[tuple[str, int]]:
    return [(name, overrides.get(name, default)) for name in CAST]


def status_for(login, cast, name, url, method="get", data=None):
    client = login(cast(name))
    response = getattr(client, method)(url, data or {})
    return response.status_code


@pytest.mark.parametrize("name,expected", expect({}, 200))
def test_catalogue_and_published_project_are_public(login, cast, name, expected, published_a):
    assert status_for(login, cast, name, reverse("projects:catalogue")) == expected
    assert status_for(login, cast, name, published_a.get_absolute_url()) == expected


@pytest.mark.parametrize("name,expected", expect({"team_user": 200, "office_a_user": 200}, 404))
def test_a_draft_is_seen_only_by_its_office_and_the_team(login, cast, name, expected, draft_a):
    assert status_for(login, cast, name, draft_a.get_absolute_url()) == expected


@pytest.mark.parametrize("name,expected", expect({**RESERVED_WRITERS, "anonymous": 302}, 403))
def test_office_area_pages(login, cast, name, expected):
    for url_name in ("projects:office_projects", "projects:create", "projects:import", "projects:import_template"):
        assert status_for(login, cast, name, reverse(url_name)) == expected, url_name


def test_office_list_shows_own_drafts_only(login, office_a_user, office_b_user, team_user, draft_a):
    assert draft_a.title in login(office_a_user).get(reverse("projects:office_projects")).content.decode()
    assert draft_a.title not in login(office_b_user).get(reverse("projects:office_projects")).content.decode()
    assert draft_a.title in login(team_user).get(reverse("projects:office_projects")).content.decode()
    # and not in the public catalogue, the open data or the municipality page
    for client in (login(office_b_user), login(None)):
        assert draft_a.title not in client.get(reverse("projects:catalogue")).content.decode()
        assert draft_a.title not in client.get(reverse("projects:opendata_csv")).content.decode()
        assert draft_a.title not in client.get(reverse("municipalities:detail", args=["083048"])).content.decode()


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "team_user": 200, "office_a_user": 200, "office_b_user": 404}, 403),
)
def test_edit_a_draft(login, cast, name, expected, draft_a):
    assert status_for(login, cast, name, reverse("projects:edit", args=[draft_a.pk])) == expected


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "team_user": 200, "office_a_user": 200, "office_b_user": 403}, 403),
)
def test_edit_a_published_project_of_another_office_is_forbidden(login, cast, name, expected, published_a):
    assert status_for(login, cast, name, reverse("projects:edit", args=[published_a.pk])) == expected


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "team_user": 302, "office_a_user": 302, "office_b_user": 404}, 403),
)
def test_publish(login, cast, name, expected, draft_a):
    url = reverse("projects:publish", args=[draft_a.pk])
    assert status_for(login, cast, name, url, "post", {"azione": "pubblica"}) == expected
    draft_a.refresh_from_db()
    assert draft_a.is_published == (name in {"team_user", "office_a_user"})


def test_publish_rejects_get(login, office_a_user, draft_a):
    assert login(office_a_user).get(reverse("projects:publish", args=[draft_a.pk])).status_code == 405


@pytest.mark.parametrize("name", CAST)
def test_imports_visible_to_the_team_and_their_own_office(cast, name, office_a, office_b):
    from django.contrib.auth.models import AnonymousUser

    ours = ProjectImport.objects.create(office=office_a, original_name="a.csv", file="a.csv")
    theirs = ProjectImport.objects.create(office=office_b, original_name="b.csv", file="b.csv")
    expected = {"team_user": {ours, theirs}, "office_a_user": {ours}, "office_b_user": {theirs}}.get(name, set())
    assert set(ProjectImport.objects.visible_to(cast(name) or AnonymousUser())) == expected


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "team_user": 200, "office_a_user": 200, "office_b_user": 404}, 403),
)
def test_import_pages_belong_to_the_office(login, cast, name, expected, office_a_user, upload, confirm):
    upload(login(office_a_user), csv_bytes([good_row(1)]))
    batch = ProjectImport.objects.get()
    assert status_for(login, cast, name, batch.get_absolute_url()) == expected
    assert status_for(login, cast, name, reverse("projects:import_status", args=[batch.pk])) == expected
    code = confirm(login(cast(name)), batch).status_code
    assert code == {"anonymous": 302, "team_user": 302, "office_a_user": 302, "office_b_user": 404}.get(name, 403)
    assert Project.objects.count() == (1 if name in {"team_user", "office_a_user"} else 0)


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "team_user": 200, "mayor_a": 200, "mayor_b": 200, "stakeholder_user": 200}, 403),
)
def test_proposals_list(login, cast, name, expected):
    assert status_for(login, cast, name, reverse("projects:proposals")) == expected


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "team_user": 200, "mayor_a": 200, "mayor_b": 404, "stakeholder_user": 404}, 403),
)
def test_a_proposal_is_seen_by_its_proposer_and_the_team(login, cast, name, expected, mayor_a, messina):
    proposal = ProposalFactory(proposer=mayor_a, municipality=messina)
    assert status_for(login, cast, name, reverse("projects:proposal_detail", args=[proposal.pk])) == expected


@pytest.mark.parametrize(
    "name,expected",
    expect({"anonymous": 302, "mayor_a": 200, "mayor_b": 200, "stakeholder_user": 200}, 403),
)
def test_proposal_form_in_phase_two(login, cast, name, expected, agenda_phase):
    assert status_for(login, cast, name, reverse("projects:proposal_create")) == expected


@pytest.mark.parametrize("name,expected", expect({}, 200))
def test_open_data_is_public_and_has_no_drafts(login, cast, name, expected, draft_a, published_a):
    for url_name in ("projects:opendata_csv", "projects:opendata_json"):
        response = login(cast(name)).get(reverse(url_name))
        assert response.status_code == expected
        assert published_a.cup in response.content.decode()
        assert draft_a.cup not in response.content.decode()


def test_drafts_stay_drafts_for_office_b_after_an_import(login, office_a_user, office_b_user, upload, confirm):
    client = login(office_a_user)
    upload(client, csv_bytes([good_row(7)]))
    confirm(client, ProjectImport.objects.get())
    project = Project.objects.get()
    assert project.publication == Publication.DRAFT
    assert login(office_b_user).get(project.get_absolute_url()).status_code == 404
