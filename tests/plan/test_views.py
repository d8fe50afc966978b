from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from plan.models import PlanDocument, PlanKind, PlanStatus
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST
from tests.plan.conftest import PDF, make_document

pytestmark = pytest.mark.django_db

READERS = {"team_user", "office_a_user", "office_b_user", "mayor_a", "mayor_b", "council_user", "secretary_user"}
# Who downloads the versions not yet published: the team prepares them, the council approves the final plan.
UNPUBLISHED_READERS = {"team_user", "council_user", "secretary_user"}


def expected_for_readers(name: str, ok: int = 200) -> int:
    if name == "anonymous":
        return 302
    return ok if name in READERS else 403


@pytest.mark.parametrize("name", CAST)
def test_everyone_sees_the_published_documents(name, cast, login, media):
    published = make_document(published=True)
    make_document(version=2)  # ready, not published
    response = login(cast(name)).get(reverse("plan:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.sha256 in html
    assert reverse("plan:download", args=[published.pk]) in html
    assert '<td class="text-end">42</td>' in html and re.search(r"18\xa0bytes?<", html)
    assert html.count('<th scope="row">') == 1  # the unpublished version is not listed


@pytest.mark.parametrize("name", CAST)
def test_published_documents_download_for_everyone(name, cast, login, media):
    document = make_document(published=True)
    response = login(cast(name)).get(reverse("plan:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="psm-messina-proposta-preliminare-v1.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("name", CAST)
def test_unpublished_versions_download_only_for_the_team_and_the_council(name, cast, login, media):
    document = make_document()
    response = login(cast(name)).get(reverse("plan:download", args=[document.pk]))
    assert response.status_code == (200 if name in UNPUBLISHED_READERS else 404)


@pytest.mark.parametrize("name", CAST)
def test_the_team_area_links_only_the_downloads_each_role_may_open(name, cast, login, media):
    published = make_document(version=1, published=True)
    unpublished = make_document(version=2)
    response = login(cast(name)).get(reverse("plan:manage"))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert f'href="{reverse("plan:download", args=[published.pk])}"' in html
        link = f'href="{reverse("plan:download", args=[unpublished.pk])}"'
        assert (link in html) == (name in UNPUBLISHED_READERS)


@pytest.mark.parametrize("name", CAST)
def test_the_progress_page_of_an_unpublished_version_links_the_pdf_for_the_team_and_the_council(
    name, cast, login, media
):
    document = make_document()
    response = login(cast(name)).get(reverse("plan:progress", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        link = f'href="{reverse("plan:download", args=[document.pk])}"'
        assert (link in html) == (name in UNPUBLISHED_READERS)
        assert ("si potrà scaricare quando il team PSM la pubblicherà" in html) == (name not in UNPUBLISHED_READERS)


def test_a_document_not_ready_has_nothing_to_download(login, team_user, media):
    document = make_document(status=PlanStatus.RENDERING)
    assert login(team_user).get(reverse("plan:download", args=[document.pk])).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(login, team_user, media):
    document = make_document(published=True)
    default_storage.delete(document.file.name)
    response = login(team_user).get(reverse("plan:download", args=[document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_the_team_area_lists_every_version(name, cast, login, media):
    make_document(version=1, published=True)
    make_document(version=2, status=PlanStatus.FAILED)
    make_document(kind=PlanKind.FINAL, version=1, status=PlanStatus.RENDERING)
    response = login(cast(name)).get(reverse("plan:manage"))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert "3 versioni" in html
        assert "non riuscito" in html and "in preparazione (40%)" in html and "pubblicato" in html
        assert ('action="' + reverse("plan:render")) in html if name == "team_user" else "Prepara ora" not in html


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_asks_for_a_render(name, cast, login, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(cast(name)).post(reverse("plan:render"), {"kind": "draft"})
    if name == "team_user":
        document = PlanDocument.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("plan:progress", args=[document.pk])
        assert document.status == PlanStatus.QUEUED and document.requested_by == cast(name)
        assert len(callbacks) == 1  # the render is only enqueued, after commit
        assert AuditEvent.objects.filter(action="plan_document.request").count() == 1
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert not PlanDocument.objects.exists()


def test_asking_again_over_the_same_data_returns_the_same_document(login, team_user, media):
    client = login(team_user)
    first = client.post(reverse("plan:render"), {"kind": "final"}, follow=True)
    second = client.post(reverse("plan:render"), {"kind": "final"}, follow=True)
    assert PlanDocument.objects.count() == 1
    assert first.redirect_chain == second.redirect_chain
    assert "I dati non sono cambiati" in second.content.decode()


@pytest.mark.parametrize("payload", [{}, {"kind": "bozza"}, {"kind": ""}])
def test_a_bad_render_request_says_why_and_creates_nothing(payload, login, team_user, media):
    response = login(team_user).post(reverse("plan:render"), payload, follow=True)
    assert response.status_code == 200
    assert "Scegli quale documento preparare" in response.content.decode()
    assert not PlanDocument.objects.exists()


def test_render_rejects_get(login, team_user):
    assert login(team_user).get(reverse("plan:render")).status_code == 405


@pytest.mark.parametrize("name", CAST)
def test_the_progress_page_refreshes_itself(name, cast, login, media):
    document = make_document(status=PlanStatus.RENDERING)
    response = login(cast(name)).get(reverse("plan:progress", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert f'data-status-url="{reverse("plan:status", args=[document.pk])}"' in html
        assert '<progress id="plan-progress-bar"' in html and 'value="40"' in html
        # Without JavaScript, a plain link reloads the page; the script is a static file, never inline.
        assert f'href="{reverse("plan:progress", args=[document.pk])}" id="plan-progress-reload"' in html
        assert "psm/js/progress.js" in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html


@pytest.mark.parametrize("name", CAST)
def test_the_progress_page_of_a_failed_document_shows_its_message_to_the_team(name, cast, login, media):
    document = make_document(status=PlanStatus.FAILED)
    PlanDocument.objects.filter(pk=document.pk).update(error="Il modello del documento contiene un errore: x")
    response = login(cast(name)).get(reverse("plan:progress", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert "La preparazione non è riuscita." in html
        assert ("Il modello del documento contiene un errore: x" in html) == (name == "team_user")
        assert "plan-progress-bar" not in html


@pytest.mark.parametrize("name", CAST)
def test_the_status_endpoint_answers_json(name, cast, login, media):
    document = make_document()
    response = login(cast(name)).get(reverse("plan:status", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        assert response["Cache-Control"] == "no-store"
        assert response.json() == {
            "id": document.pk,
            "status": "ready",
            "status_label": "pronto",
            "progress": 100,
            "done": True,
            "resumed": False,
            "error": "",
            "sha256": document.sha256,
            "pages": 42,
            "download_url": (reverse("plan:download", args=[document.pk]) if name in UNPUBLISHED_READERS else ""),
            "same_as_url": "",
        }


@pytest.mark.parametrize("name", CAST)
def test_the_status_endpoint_links_a_published_pdf_for_every_reader(name, cast, login, media):
    document = make_document(published=True)
    response = login(cast(name)).get(reverse("plan:status", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        assert response.json()["download_url"] == reverse("plan:download", args=[document.pk])


@pytest.mark.parametrize("name", CAST)
def test_the_status_endpoint_gives_the_error_to_the_team_only(name, cast, login, media):
    document = make_document(status=PlanStatus.FAILED)
    PlanDocument.objects.filter(pk=document.pk).update(error="OSError: /srv/media/piano non scrivibile")
    response = login(cast(name)).get(reverse("plan:status", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        expected = "OSError: /srv/media/piano non scrivibile" if name == "team_user" else ""
        assert response.json()["error"] == expected


def test_status_of_an_unknown_document_is_404(login, team_user):
    assert login(team_user).get(reverse("plan:status", args=[999])).status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_publishes_and_withdraws(name, cast, login, media):
    document = make_document()
    client = login(cast(name))
    response = client.post(reverse("plan:publish", args=[document.pk]))
    document.refresh_from_db()
    if name == "team_user":
        assert response.status_code == 302 and document.is_published
        assert document.published_by == cast(name)
        client.post(reverse("plan:unpublish", args=[document.pk]))
        document.refresh_from_db()
        assert not document.is_published
        assert AuditEvent.objects.filter(action__startswith="plan_document.").count() == 2
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert not document.is_published
        assert client.post(reverse("plan:unpublish", args=[document.pk])).status_code in (302, 403)


def test_a_document_not_ready_cannot_be_published(login, team_user, media):
    document = make_document(status=PlanStatus.RENDERING)
    response = login(team_user).post(reverse("plan:publish", args=[document.pk]), follow=True)
    assert "Si può pubblicare solo un documento pronto." in response.content.decode()
    document.refresh_from_db()
    assert not document.is_published


@pytest.mark.parametrize("size", [3, 30])
def test_lists_use_a_constant_number_of_queries(size, login, team_user, media, django_assert_max_num_queries):
    for version in range(1, size + 1):
        make_document(version=version, published=True)
    client = login(team_user)
    with django_assert_max_num_queries(5):  # with the approving deliberation (test_public_act: and its amendments)
        assert client.get(reverse("plan:list")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("plan:manage")).status_code == 200


def test_lists_paginate(login, team_user, media):
    for version in range(1, 23):
        make_document(version=version, published=True)
    page2 = login(team_user).get(reverse("plan:list"), {"pagina": 2}).content.decode()
    assert "Pagina 2 di 2" in page2


def test_a_broker_down_leaves_the_document_queued_without_a_500(
    login, team_user, media, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerError

    from plan.tasks import render_plan_document

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(render_plan_document, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(team_user).post(reverse("plan:render"), {"kind": "draft"})
    document = PlanDocument.objects.get()
    assert response.status_code == 302 and len(callbacks) == 1
    assert document.status == PlanStatus.QUEUED
    assert f"Plan document {document.pk}: the render could not be enqueued" in caplog.text


def test_the_team_area_never_loads_a_snapshot(login, team_user, media):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_document(version=1, published=True)
    same = make_document(version=2, status=PlanStatus.SAME)
    PlanDocument.objects.filter(pk=same.pk).update(same_as=first, content_hash="")
    client = login(team_user)
    for url in (reverse("plan:manage"), reverse("plan:progress", args=[same.pk])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        assert any('"same_as_id"' in sql for sql in selects)
        assert not [sql for sql in selects if '"snapshot"' in sql], url


def test_the_team_area_pages_share_one_breadcrumb(login, team_user, media):
    document = make_document()
    client = login(team_user)
    dashboard = f'<a href="{reverse("accounts:dashboard")}">Area riservata</a>'
    manage = client.get(reverse("plan:manage"))
    progress = client.get(reverse("plan:progress", args=[document.pk]))
    for response in (manage, progress):
        assert "plan/_area_breadcrumbs.html" in [t.name for t in response.templates]
        assert dashboard in response.content.decode()
    assert '<li class="breadcrumb-item active" aria-current="page">Documenti del piano</li>' in manage.content.decode()
    html = progress.content.decode()
    assert f'<a href="{reverse("plan:manage")}">Documenti del piano</a>' in html
    assert f'<li class="breadcrumb-item active" aria-current="page">{document}</li>' in html
