"""News for the whole cast: the team writes and publishes (after a confirmation), everybody reads what is
published; drafts, forged ids and bad input never leak or fail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import News, NewsStatus
from psm_portal.audit.models import AuditEvent
from subscriptions.models import Update
from tests.conftest import CAST
from tests.news.conftest import expected, make_news, png

pytestmark = pytest.mark.django_db

TEAM = {"team_user": 200}


@pytest.mark.parametrize("name", CAST)
def test_the_reserved_pages_are_for_the_team_only(name, cast, login, published, draft):
    client = login(cast(name))
    for url in (reverse("news:manage"), reverse("news:create"), reverse("news:edit", args=[draft.pk])):
        assert client.get(url).status_code == expected(TEAM, name), url
    for view in ("news:publish", "news:unpublish"):
        response = client.post(reverse(view, args=[draft.pk]))
        assert response.status_code == expected({"team_user": 200 if view == "news:publish" else 302}, name)
    draft.refresh_from_db()
    assert draft.status == NewsStatus.DRAFT  # the publication waits for the confirmation


@pytest.mark.parametrize("name", CAST)
def test_everybody_reads_the_published_news_and_only_the_team_a_draft(name, cast, login, published, draft):
    client = login(cast(name))
    listing = client.get(reverse("news:list"))
    assert listing.status_code == 200
    assert published.title in listing.content.decode() and draft.title not in listing.content.decode()
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == (200 if name == "team_user" else 404)


def test_forged_ids_and_slugs_are_404(login, team_user):
    client = login(team_user)
    assert client.get(reverse("news:edit", args=[999999])).status_code == 404
    assert client.post(reverse("news:publish", args=[999999]), {"conferma": "1"}).status_code == 404
    assert client.get(reverse("news:detail", args=["non-esiste"])).status_code == 404
    assert client.get(reverse("news:image", args=["non-esiste"])).status_code == 404
    assert client.get(reverse("news:list") + "?pagina=zzz").status_code == 200


def _post(**changes) -> dict:
    data = {"title": "Al via i tavoli", "summary": "Si aprono i tavoli di lavoro.", "body": "<p>Ciao</p>"}
    data.update(changes)
    return data


def test_the_team_writes_a_news_item_with_its_links_and_a_sanitised_body(
    login, team_user, objectives, project, messina
):
    client = login(team_user)
    response = client.post(
        reverse("news:create"),
        _post(
            body='<p onclick="x()">Testo</p><script>alert(1)</script>',
            objectives=[objectives["A1.1"].pk],
            projects=[project.pk],
            municipalities=[messina.pk],
        ),
    )
    news = News.objects.get()
    assert response.status_code == 302 and response.url == reverse("news:edit", args=[news.pk])
    assert news.body == "<p>Testo</p>" and news.status == NewsStatus.DRAFT and news.slug == "al-via-i-tavoli"
    assert list(news.municipalities.all()) == [messina] and list(news.projects.all()) == [project]
    assert AuditEvent.objects.filter(action="news.create").count() == 1
    page = client.get(news.get_absolute_url()).content.decode()
    assert "Bozza" in page and "Ponte sul torrente" in page and "A1.1 Ponti" in page


def test_an_image_needs_its_alternative_text_and_must_be_an_image(login, team_user):
    client = login(team_user)
    response = client.post(reverse("news:create"), _post(image=png()))
    assert response.status_code == 200 and "testo alternativo" in response.content.decode()
    response = client.post(
        reverse("news:create"), _post(image=SimpleUploadedFile("x.png", b"<html>no</html>"), image_alt="Foto")
    )
    assert response.status_code == 200 and "JPEG, un PNG o un WebP" in response.content.decode()
    assert not News.objects.exists()
    response = client.post(reverse("news:create"), _post(image=png(), image_alt="Il ponte visto dal torrente"))
    news = News.objects.get()
    assert news.image.name.endswith(".png") and news.image_alt == "Il ponte visto dal torrente"
    image = client.get(reverse("news:image", args=[news.slug]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    html = client.get(news.get_absolute_url()).content.decode()
    assert 'alt="Il ponte visto dal torrente"' in html
    # A draft's picture is the team's until it is published.
    client.logout()
    assert client.get(reverse("news:image", args=[news.slug])).status_code == 404


def test_publishing_is_confirmed_audited_and_recorded_for_the_subscribers(login, team_user, objectives, messina):
    client = login(team_user)
    client.post(reverse("news:create"), _post(objectives=[objectives["A1"].pk], municipalities=[messina.pk]))
    news = News.objects.get()
    page = client.post(reverse("news:publish", args=[news.pk]))
    assert "Pubblicare la notizia" in page.content.decode()
    news.refresh_from_db()
    assert news.status == NewsStatus.DRAFT and not Update.objects.exists()
    response = client.post(reverse("news:publish", args=[news.pk]), {"conferma": "1"})
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.is_published and news.published_at is not None
    update = Update.objects.get()
    assert update.url == news.get_absolute_url()
    assert sorted((t.topic, t.key) for t in update.topics.all()) == [
        ("comune", messina.istat_code),
        ("notizie", ""),
        ("obiettivo", "A1"),
    ]
    assert AuditEvent.objects.filter(action="news.publish").count() == 1
    # Twice: refused with a message, nothing recorded twice.
    client.post(reverse("news:publish", args=[news.pk]), {"conferma": "1"})
    assert Update.objects.count() == 1
    client.post(reverse("news:unpublish", args=[news.pk]))
    news.refresh_from_db()
    assert news.status == NewsStatus.DRAFT
    assert client.get(reverse("news:list")).content.decode().count(news.title) == 0


def test_a_slug_is_never_reserved_or_taken_twice(login, team_user):
    client = login(team_user)
    client.post(reverse("news:create"), _post(title="Feed"))
    client.post(reverse("news:create"), _post(title="Feed"))
    assert sorted(News.objects.values_list("slug", flat=True)) == ["feed-2", "feed-3"]


def test_the_list_queries_do_not_grow_with_the_news(client, django_assert_max_num_queries, db):
    make_news(3, prefix="Piccola")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("news:list")).status_code == 200
    make_news(40, prefix="Grande")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("news:list"))
    assert page.status_code == 200 and "Pagina 1 di 5" in page.content.decode()


def test_the_team_list_queries_do_not_grow_with_the_news(login, team_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(team_user)
    make_news(2, prefix="Piccola")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("news:manage")).status_code == 200
    make_news(30, prefix="Grande")
    make_news(30, status=NewsStatus.DRAFT, prefix="Bozza")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("news:manage")).status_code == 200
