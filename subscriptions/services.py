"""Writes of subscriptions: subscribing with double opt-in, confirming, unsubscribing (the address is deleted),
the staff's one-click subscription, the updates log the other apps append to, and the digests.

Keyword-only, one transaction, Italian ValidationErrors. E-mails go through the worker (``subscriptions.tasks``)."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from psm_portal.audit.services import audit_record
from subscriptions import topics
from subscriptions.models import (
    Digest,
    DigestDelivery,
    Subscriber,
    Subscription,
    Topic,
    Update,
    UpdateKind,
    UpdateTopic,
)

logger = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            # The broker is down: the subscriber asks again; a digest is sent by the next beat.
            logger.exception("Subscriptions task %s could not be enqueued", task.name)

    transaction.on_commit(send, robust=True)


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


# --- Subscribing ---------------------------------------------------------------------------------------------------


def _clean_topics(*, news: bool, comuni: Iterable[str], objectives: Iterable[str]) -> list[tuple[str, str]]:
    wanted = [(Topic.NEWS.value, "")] if news else []
    for topic, keys in ((Topic.COMUNE, comuni), (Topic.OBJECTIVE, objectives)):
        keys = list(dict.fromkeys(k for k in keys if k))
        if keys:
            valid = {key for key, _label in topics.choices(topic)}
            unknown = [k for k in keys if k not in valid]
            if unknown:
                raise ValidationError(_("Argomento sconosciuto: %(keys)s.") % {"keys": ", ".join(unknown)[:100]})
            wanted.extend((topic.value, key) for key in keys)
    if not wanted:
        raise ValidationError(_("Scegliete almeno un argomento: le notizie, un comune o un obiettivo."))
    return wanted


def subscriber_request(
    *, email: str, news: bool = False, comuni: Iterable[str] = (), objectives: Iterable[str] = ()
) -> Subscriber:
    """A citizen asks to subscribe: the address is stored unconfirmed and a confirmation e-mail goes; nothing is
    sent to it before it is confirmed. A confirmed address is not changed (its owner is told by e-mail how to
    change it), so that nobody can change someone else's subscription."""
    from subscriptions.tasks import send_confirmation  # subscriptions.tasks imports this module

    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Indicate l'indirizzo e-mail.")})
    wanted = _clean_topics(news=news, comuni=comuni, objectives=objectives)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(email=email)
        if not subscriber.is_confirmed:
            subscriber.subscriptions.all().delete()
            Subscription.objects.bulk_create(
                Subscription(subscriber=subscriber, topic=topic, key=key) for topic, key in wanted
            )
        _enqueue(send_confirmation, subscriber.pk)
    return subscriber


def subscriber_confirm(*, token: str) -> Subscriber:
    """Confirm the address whose confirmation link this is; ``Subscriber.DoesNotExist`` for a bad or used token."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(confirm_token=token or "-", confirmed_at__isnull=True)
        subscriber.confirmed_at = timezone.now()
        subscriber.confirm_token = None
        subscriber.save(update_fields=["confirmed_at", "confirm_token"])
    return subscriber


def subscriber_delete(*, token: str) -> bool:
    """Unsubscribe: the address and everything about it are deleted. False for an unknown token."""
    deleted, _rows = Subscriber.objects.filter(unsubscribe_token=token or "-").delete()
    return bool(deleted)


def staff_subscribe(*, user) -> Subscriber:
    """A signed-in user follows their own areas with one click: confirmed at once (the address is the account's)."""
    if not (user.is_authenticated and user.is_active and user.email):
        raise ValidationError(_("Accedete per iscrivervi dalla vostra area riservata."))
    wanted = topics.own_areas(user)
    email = user.email.strip().lower()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=email)
        subscriber.user = user
        if not subscriber.is_confirmed:
            subscriber.confirmed_at = timezone.now()
            subscriber.confirm_token = None
        subscriber.save()
        Subscription.objects.bulk_create(
            [Subscription(subscriber=subscriber, topic=topic, key=key) for topic, key in wanted],
            ignore_conflicts=True,
        )
        audit_record(actor=user, action="subscription.staff", obj=subscriber, after={"topics": wanted})
    return subscriber


def staff_unsubscribe(*, user) -> bool:
    with transaction.atomic():
        deleted, _rows = Subscriber.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=user, action="subscription.staff_delete", obj=user, after={})
    return bool(deleted)


def subscribers_purge_unconfirmed() -> int:
    """Addresses never confirmed are deleted after ``SUBSCRIPTIONS_CONFIRM_DAYS``."""
    moment = timezone.now() - timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_DAYS)
    deleted, _rows = Subscriber.objects.unconfirmed_before(moment).delete()
    return deleted


# --- E-mails -------------------------------------------------------------------------------------------------------


def _unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute(reverse("subscriptions:unsubscribe", args=[subscriber.unsubscribe_token]))


def _message(subscriber: Subscriber, subject: str, body: str, connection=None) -> EmailMessage:
    """An e-mail to a subscriber with the one-click unsubscribe headers (RFC 2369 and RFC 8058)."""
    link = _unsubscribe_url(subscriber)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def confirmation_send(*, subscriber_id: int) -> int:
    """The confirmation e-mail (or, to a confirmed address, how to change its subscription)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "subscriber": subscriber,
            "confirm_url": absolute(reverse("subscriptions:confirm", args=[subscriber.confirm_token]))
            if subscriber.confirm_token
            else "",
            "unsubscribe_url": _unsubscribe_url(subscriber),
            "days": settings.SUBSCRIPTIONS_CONFIRM_DAYS,
        }
        subject = (
            _("Confermate l'iscrizione agli aggiornamenti del Piano Strategico")
            if not subscriber.is_confirmed
            else _("Siete già iscritti agli aggiornamenti del Piano Strategico")
        )
        body = render_to_string("subscriptions/email/confirm.txt", context)
    return _message(subscriber, subject, body).send()


# --- Updates -------------------------------------------------------------------------------------------------------


def record_update(
    *,
    kind: str,
    title: str,
    url: str,
    comuni: Iterable[str] = (),
    objectives: Iterable[str] = (),
    news: bool = False,
) -> Update:
    """Append an update for the digests: ``url`` is the page's path, ``comuni`` ISTAT codes, ``objectives`` codes.
    Called by the apps inside their own transaction (a rolled-back act leaves no update)."""
    if kind not in UpdateKind.values:
        raise ValueError(f"Unknown update kind {kind!r}")
    update = Update.objects.create(kind=kind, title=(title or "").strip()[:300], url=url[:500])
    rows = [(Topic.NEWS.value, "")] if news else []
    rows += [(Topic.COMUNE.value, key) for key in dict.fromkeys(comuni) if key]
    rows += [(Topic.OBJECTIVE.value, key) for key in dict.fromkeys(objectives) if key]
    UpdateTopic.objects.bulk_create(UpdateTopic(update=update, topic=topic, key=key) for topic, key in rows)
    return update


# --- Digests -------------------------------------------------------------------------------------------------------


WEEK = 7 * 24 * 3600


def period_of(moment) -> str:
    """The digest's period of ``moment``: its ISO week (``2026-W49``) with the weekly default, else the number of
    the ``SUBSCRIPTIONS_DIGEST_SECONDS`` interval it falls in."""
    seconds = settings.SUBSCRIPTIONS_DIGEST_SECONDS
    if seconds == WEEK:
        year, week, _day = timezone.localtime(moment).isocalendar()
        return f"{year}-W{week:02d}"
    return f"{seconds}s-{int(moment.timestamp()) // seconds}"


def digest_for(*, now=None) -> Digest:
    """The digest of ``now``'s period, created once whoever asks (a unique period): it covers what was recorded
    since the previous digest's end (or the previous week, the first time)."""
    now = now or timezone.now()
    period = period_of(now)
    digest = Digest.objects.filter(period=period).first()
    if digest is not None:
        return digest
    previous = Digest.objects.order_by("-until").first()
    since = previous.until if previous else now - timedelta(days=7)
    try:
        with transaction.atomic():
            return Digest.objects.create(period=period, since=since, until=now)
    except IntegrityError:
        return Digest.objects.get(period=period)


def _updates_by_topic(digest: Digest) -> tuple[list[Update], dict[tuple[str, str], list[Update]]]:
    updates = list(
        Update.objects.between(digest.since, digest.until).prefetch_related("topics").order_by("created_at", "pk")
    )
    by_topic: dict[tuple[str, str], list[Update]] = defaultdict(list)
    for update in updates:
        for row in update.topics.all():
            by_topic[(row.topic, row.key)].append(update)
    return updates, by_topic


def _updates_for(subscriber: Subscriber, by_topic) -> list[Update]:
    seen: dict[int, Update] = {}
    for subscription in subscriber.subscriptions.all():
        for update in by_topic.get((subscription.topic, subscription.key), ()):
            if update.created_at >= subscriber.confirmed_at:
                seen.setdefault(update.pk, update)
    return sorted(seen.values(), key=lambda u: (u.created_at, u.pk))


def _digest_body(subscriber: Subscriber, digest: Digest, updates: list[Update]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "updates": [{"update": u, "link": absolute(u.url)} for u in updates],
            "since": date_format(timezone.localtime(digest.since), "SHORT_DATE_FORMAT"),
            "until": date_format(timezone.localtime(digest.until), "SHORT_DATE_FORMAT"),
            "unsubscribe_url": _unsubscribe_url(subscriber),
        }
        subject = _("Aggiornamenti del Piano Strategico dal %(since)s al %(until)s") % context
        return subject, render_to_string("subscriptions/email/digest.txt", context)


def digest_send(*, now=None, batch_size: int | None = None) -> int:
    """Send the period's digest to every confirmed subscriber with something new, in batches, one SMTP connection
    per batch. Each subscriber is claimed (a unique (digest, subscriber) row inserted before the e-mail) so that a
    task delivered twice, or two workers, send it once; a batch that fails releases its claims for the retry."""
    subscribers_purge_unconfirmed()
    digest = digest_for(now=now)
    _updates, by_topic = _updates_by_topic(digest)
    if not by_topic:
        return 0
    batch_size = batch_size or settings.SUBSCRIPTIONS_DIGEST_BATCH
    done = DigestDelivery.objects.filter(digest=digest).values("subscriber_id")
    candidates = (
        Subscriber.objects.confirmed()
        .filter(confirmed_at__lte=digest.until)
        .exclude(pk__in=done)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(candidates)
    sent = 0
    for start in range(0, len(ids), batch_size):
        sent += _send_batch(digest, ids[start : start + batch_size], by_topic)
    return sent


def _send_batch(digest: Digest, ids: list[int], by_topic) -> int:
    subscribers = list(
        Subscriber.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("subscriptions", queryset=Subscription.objects.only("subscriber_id", "topic", "key"))
        )
    )
    wanted = {s.pk: (s, found) for s in subscribers if (found := _updates_for(s, by_topic))}
    if not wanted:
        return 0
    claim = uuid.uuid4().hex
    # The claim: rows already there (another run's) are left alone and not ours to send.
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(digest=digest, subscriber_id=pk, claim=claim) for pk in wanted], ignore_conflicts=True
    )
    mine = list(
        DigestDelivery.objects.filter(digest=digest, claim=claim, sent_at__isnull=True).values_list(
            "subscriber_id", flat=True
        )
    )
    if not mine:
        return 0
    connection = get_connection()
    messages = []
    for pk in mine:
        subscriber, updates = wanted[pk]
        subject, body = _digest_body(subscriber, digest, updates)
        messages.append(_message(subscriber, subject, body, connection=connection))
    try:
        connection.open()
        sent = connection.send_messages(messages) or 0
    except Exception:
        # Not sent: free the claims so that the retried task sends them.
        DigestDelivery.objects.filter(digest=digest, claim=claim, sent_at__isnull=True).delete()
        raise
    finally:
        connection.close()
    DigestDelivery.objects.filter(digest=digest, claim=claim).update(sent_at=timezone.now())
    return sent
