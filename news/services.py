"""Writes of news: the team writes drafts and publishes them (audited; the subscribers' updates log is told).
Keyword-only, one transaction, Italian ValidationErrors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from news.models import News, NewsStatus
from psm_portal.audit.services import audit_record
from psm_portal.lib.html import sanitize_html
from psm_portal.lib.uploads import validate_image
from subscriptions.models import UpdateKind
from subscriptions.services import record_update

RESERVED_SLUGS = {"feed", "iscriviti"}


def _team_only(user) -> None:
    if not (user.is_authenticated and user.is_team):
        raise ValidationError(_("Solo il team PSM scrive e pubblica le notizie."))


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = (slugify(title) or "notizia")[:200]
    slug, n = base, 1
    taken = News.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def news_save(
    *,
    user,
    news: News | None = None,
    title: str,
    summary: str,
    body: str = "",
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
    objectives=(),
    projects=(),
    municipalities=(),
) -> News:
    """Create or change a news item; the body is sanitised like the Vision, an image needs its alternative text."""
    _team_only(user)
    title, summary, image_alt = (title or "").strip(), (summary or "").strip(), (image_alt or "").strip()
    if not title:
        raise ValidationError({"title": _("Indicate il titolo della notizia.")})
    if not summary:
        raise ValidationError({"summary": _("Indicate la sintesi della notizia.")})
    if image is not None:
        validate_image(image)
    has_image = image is not None or (news is not None and news.image and not remove_image)
    if has_image and not image_alt:
        raise ValidationError({"image_alt": _("Descrivete l'immagine nel testo alternativo: serve a chi non la vede.")})
    with transaction.atomic():
        creating = news is None
        if creating:
            news = News(created_by=user, slug=_unique_slug(title))
        before = None if creating else news.snapshot()
        news.title, news.summary, news.body = title[:200], summary[:500], sanitize_html(body)
        if remove_image and news.image:
            news.image.delete(save=False)
            news.image = ""
        if image is not None:
            kind = getattr(image, "document_kind", None) or validate_image(image)
            news.image.save(f"immagine{kind.extension}", image, save=False)
        news.image_alt = image_alt[:250] if news.image else ""
        news.save()
        news.objectives.set(objectives)
        news.projects.set(projects)
        news.municipalities.set(municipalities)
        audit_record(
            actor=user,
            action="news.create" if creating else "news.update",
            obj=news,
            before=before,
            after=news.snapshot(),
        )
    return news


def news_publish(*, user, news: News) -> News:
    """Publish a draft: it appears on /notizie/ and in the feed, and goes into the subscribers' next digest."""
    _team_only(user)
    with transaction.atomic():
        news = News.objects.select_for_update().get(pk=news.pk)
        if news.is_published:
            raise ValidationError(_("La notizia è già pubblicata."))
        before = news.snapshot()
        news.status = NewsStatus.PUBLISHED
        news.published_at = timezone.now()
        news.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=user, action="news.publish", obj=news, before=before, after=news.snapshot())
        record_update(
            kind=UpdateKind.NEWS,
            title=news.title,
            url=news.get_absolute_url(),
            news=True,
            comuni=list(news.municipalities.values_list("istat_code", flat=True)),
            objectives=list(news.objectives.values_list("code", flat=True)),
        )
    return news


def news_unpublish(*, user, news: News) -> News:
    """Withdraw a published news item back to draft (it leaves /notizie/ and the feed)."""
    _team_only(user)
    with transaction.atomic():
        news = News.objects.select_for_update().get(pk=news.pk)
        if not news.is_published:
            raise ValidationError(_("La notizia non è pubblicata."))
        before = news.snapshot()
        news.status = NewsStatus.DRAFT
        news.published_at = None
        news.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=user, action="news.unpublish", obj=news, before=before, after=news.snapshot())
    return news
