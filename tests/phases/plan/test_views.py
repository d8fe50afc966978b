from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from phases.models import PlanDocument, PlanKind, PlanStatus
from psm_portal.audit.models import AuditEvent
from tests.conftest import CAST
from tests.phases.plan.conftest import PDF, make_document

pytestmark = pytest.mark.django_db

READERS = {"team_user", "office_a_user", "office_b_user", "mayor_a", "mayor_b", "council_user"}


def expected_for_readers(name: str, ok: int = 200) -> int:
    if name == "anonymous":
        return 302
    return ok if name in READERS else 403


@pytest.mark.parametrize("name", CAST)
def test_everyone_sees_the_published_documents(name, cast, login, media):
    published = make_document(published=True)
    make_document(version=2)  # ready, not published
    response = login(cast(name)).get(reverse("phases:plan"))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.sha256 in html
    assert reverse("phases:plan_download", args=[published.pk]) in html
    assert '<td class="text-end">42</td>' in html and re.search(r"18\xa0bytes?<", html)
    assert html.count('<th scope="row">') == 1  # the unpublished version is not listed


@pytest.mark.parametrize("name", CAST)
def test_published_documents_download_for_everyone(name, cast, login, media):
    document = make_document(published=True)
    response = login(cast(name)).get(reverse("phases:plan_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="psm-messina-proposta-preliminare-v1.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("name", CAST)
def test_unpublished_versions_download_only_in_the_reserved_area(name, cast, login, media):
    document = make_document()
    response = login(cast(name)).get(reverse("phases:plan_download", args=[document.pk]))
    assert response.status_code == (200 if name in READERS else 404)


def test_a_document_not_ready_has_nothing_to_download(login, team_user, media):
    document = make_document(status=PlanStatus.RENDERING)
    assert login(team_user).get(reverse("phases:plan_download", args=[document.pk])).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(login, team_user, media):
    document = make_document(published=True)
    default_storage.delete(document.file.name)
    response = login(team_user).get(reverse("phases:plan_download", args=[document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_the_team_area_lists_every_version(name, cast, login, media):
    make_document(version=1, published=True)
    make_document(version=2, status=PlanStatus.FAILED)
    make_document(kind=PlanKind.FINAL, version=1, status=PlanStatus.RENDERING)
    response = login(cast(name)).get(reverse("phases:plan_manage"))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert "3 versioni" in html
        assert "non riuscito" in html and "in preparazione (40%)" in html and "pubblicato" in html
        assert (
            ('action="' + reverse("phases:plan_render")) in html if name == "team_user" else "Prepara ora" not in html
        )


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_asks_for_a_render(name, cast, login, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(cast(name)).post(reverse("phases:plan_render"), {"kind": "draft"})
    if name == "team_user":
        document = PlanDocument.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("phases:plan_progress", args=[document.pk])
        assert document.status == PlanStatus.QUEUED and document.requested_by == cast(name)
        assert len(callbacks) == 1  # the render is only enqueued, after commit
        assert AuditEvent.objects.filter(action="plan_document.request").count() == 1
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert not PlanDocument.objects.exists()


def test_asking_again_over_the_same_data_returns_the_same_document(login, team_user, media):
    client = login(team_user)
    first = client.post(reverse("phases:plan_render"), {"kind": "final"}, follow=True)
    second = client.post(reverse("phases:plan_render"), {"kind": "final"}, follow=True)
    assert PlanDocument.objects.count() == 1
    assert first.redirect_chain == second.redirect_chain
    assert "I dati non sono cambiati" in second.content.decode()


@pytest.mark.parametrize("payload", [{}, {"kind": "bozza"}, {"kind": ""}])
def test_a_bad_render_request_says_why_and_creates_nothing(payload, login, team_user, media):
    response = login(team_user).post(reverse("phases:plan_render"), payload, follow=True)
    assert response.status_code == 200
    assert "Scegli quale documento preparare" in response.content.decode()
    assert not PlanDocument.objects.exists()


def test_render_rejects_get(login, team_user):
    assert login(team_user).get(reverse("phases:plan_render")).status_code == 405


@pytest.mark.parametrize("name", CAST)
def test_the_progress_page_refreshes_itself(name, cast, login, media):
    document = make_document(status=PlanStatus.RENDERING)
    response = login(cast(name)).get(reverse("phases:plan_progress", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert f'data-status-url="{reverse("phases:plan_status", args=[document.pk])}"' in html
        assert '<progress id="plan-progress-bar"' in html and 'value="40"' in html
        # Without JavaScript, a plain link reloads the page; the script is a static file, never inline.
        assert f'href="{reverse("phases:plan_progress", args=[document.pk])}" id="plan-progress-reload"' in html
        assert "psm/js/progress.js" in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html


def test_the_progress_page_of_a_failed_document_shows_its_message(login, team_user, media):
    document = make_document(status=PlanStatus.FAILED)
    PlanDocument.objects.filter(pk=document.pk).update(error="Il modello del documento contiene un errore: x")
    html = login(team_user).get(reverse("phases:plan_progress", args=[document.pk])).content.decode()
    assert "La preparazione non è riuscita." in html
    assert "Il modello del documento contiene un errore: x" in html
    assert "plan-progress-bar" not in html


@pytest.mark.parametrize("name", CAST)
def test_the_status_endpoint_answers_json(name, cast, login, media):
    document = make_document()
    response = login(cast(name)).get(reverse("phases:plan_status", args=[document.pk]))
    assert response.status_code == expected_for_readers(name)
    if response.status_code == 200:
        assert response["Cache-Control"] == "no-store"
        assert response.json() == {
            "id": document.pk,
            "status": "ready",
            "status_label": "pronto",
            "progress": 100,
            "done": True,
            "error": "",
            "sha256": document.sha256,
            "pages": 42,
            "download_url": reverse("phases:plan_download", args=[document.pk]),
            "same_as_url": "",
        }


def test_status_of_an_unknown_document_is_404(login, team_user):
    assert login(team_user).get(reverse("phases:plan_status", args=[999])).status_code == 404


@pytest.mark.parametrize("name", CAST)
def test_only_the_team_publishes_and_withdraws(name, cast, login, media):
    document = make_document()
    client = login(cast(name))
    response = client.post(reverse("phases:plan_publish", args=[document.pk]))
    document.refresh_from_db()
    if name == "team_user":
        assert response.status_code == 302 and document.is_published
        assert document.published_by == cast(name)
        client.post(reverse("phases:plan_unpublish", args=[document.pk]))
        document.refresh_from_db()
        assert not document.is_published
        assert AuditEvent.objects.filter(action__startswith="plan_document.").count() == 2
    else:
        assert response.status_code == (302 if name == "anonymous" else 403)
        assert not document.is_published
        assert client.post(reverse("phases:plan_unpublish", args=[document.pk])).status_code in (302, 403)


def test_a_document_not_ready_cannot_be_published(login, team_user, media):
    document = make_document(status=PlanStatus.RENDERING)
    response = login(team_user).post(reverse("phases:plan_publish", args=[document.pk]), follow=True)
    assert "Si può pubblicare solo un documento pronto." in response.content.decode()
    document.refresh_from_db()
    assert not document.is_published


@pytest.mark.parametrize("size", [3, 30])
def test_lists_use_a_constant_number_of_queries(size, login, team_user, media, django_assert_max_num_queries):
    for version in range(1, size + 1):
        make_document(version=version, published=True)
    client = login(team_user)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("phases:plan")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("phases:plan_manage")).status_code == 200


def test_lists_paginate(login, team_user, media):
    for version in range(1, 23):
        make_document(version=version, published=True)
    page2 = login(team_user).get(reverse("phases:plan"), {"pagina": 2}).content.decode()
    assert "Pagina 2 di 2" in page2
