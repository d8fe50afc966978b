"""Subscriptions: double opt-in (nothing before the confirmation), one-click unsubscribe with its headers that
deletes the address, a rate-limited form, the staff's one-click subscription, digests once per subscriber."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from subscriptions import services
from subscriptions.models import DigestDelivery, Subscriber, Subscription, UpdateKind
from subscriptions.services import digest_send, record_update
from tests.conftest import CAST, LIPARI, MESSINA

pytestmark = pytest.mark.django_db


def subscribe(client, **changes):
    data = {"email": "Cittadina@Example.org", "news": "on", "comuni": [MESSINA], "privacy": "on"}
    data.update(changes)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("subscriptions:subscribe"), data)


def link_in(message, name: str) -> str:
    pattern = {"confirm": r"http\S+/iscrizioni/conferma/\S+/", "unsubscribe": r"http\S+/iscrizioni/annulla/\S+/"}
    return re.search(pattern[name], message.body).group(0).split("testserver", 1)[-1].replace("http://", "")


def path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


def confirmed(email: str, *, comuni=(MESSINA,), news=True, objectives=()) -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now() - timedelta(days=1))
    subscriber.confirm_token = None
    subscriber.save()
    rows = [("notizie", "")] if news else []
    rows += [("comune", c) for c in comuni] + [("obiettivo", o) for o in objectives]
    Subscription.objects.bulk_create(Subscription(subscriber=subscriber, topic=t, key=k) for t, k in rows)
    return subscriber


@pytest.mark.parametrize("name", CAST)
def test_the_public_form_is_open_to_all_with_the_privacy_notice(name, cast, login):
    response = login(cast(name)).get(reverse("subscriptions:subscribe"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Informativa sulla privacy" in html and reverse("pages:page", args=["privacy"]) in html


def test_the_form_requires_the_privacy_notice_and_a_topic(client):
    response = subscribe(client, privacy="")
    assert response.status_code == 200 and "informativa sulla privacy" in response.content.decode()
    response = subscribe(client, news="", comuni=[])
    assert "Scegliete almeno un argomento" in response.content.decode()
    response = subscribe(client, comuni=["999999"])
    assert response.status_code == 200
    response = subscribe(client, email="non-un-indirizzo")
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not mail.outbox


def test_double_opt_in_then_one_click_unsubscribe_deletes_the_address(client):
    response = subscribe(client)
    assert response.status_code == 302 and response.url == reverse("subscriptions:sent")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "cittadina@example.org" and not subscriber.is_confirmed
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path_of(unsubscribe_url) == reverse("subscriptions:unsubscribe", args=[subscriber.unsubscribe_token])
    confirm_path = reverse("subscriptions:confirm", args=[subscriber.confirm_token])
    assert confirm_path in message.body and path_of(unsubscribe_url) in message.body

    # Nothing is sent before the confirmation.
    record_update(kind=UpdateKind.NEWS, title="Prima notizia", url="/notizie/prima/", news=True)
    mail.outbox.clear()
    assert digest_send() == 0 and not mail.outbox

    assert client.get(confirm_path).status_code == 200  # a page with a button: a link scanner confirms nothing
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed
    assert client.post(confirm_path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_confirmed and subscriber.confirm_token is None
    assert client.post(confirm_path).status_code == 404  # used

    # The mail client's one-click POST (RFC 8058) carries no CSRF token.
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(path_of(unsubscribe_url)).status_code == 200
    response = strict.post(path_of(unsubscribe_url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "cancellato" in response.content.decode()
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert strict.post(path_of(unsubscribe_url)).status_code == 404


@pytest.mark.parametrize("prefix", ["/iscrizioni/conferma/", "/iscrizioni/annulla/"])
@pytest.mark.parametrize(
    "token", ["x", "a" * 300, "%00", "abc%00defghijklmnopqrstuvwxyz", "nonesiste-ma-lungo-abbastanza-da-sembrare-vero"]
)
def test_bad_tokens_are_an_italian_404(client, prefix, token):
    confirmed("qualcuno@example.org")
    for method in (client.get, client.post):
        response = method(f"{prefix}{token}/")
        assert response.status_code == 404
        assert "Pagina non trovata" in response.content.decode()
    assert Subscriber.objects.count() == 1


def test_a_confirmed_address_is_not_changed_by_someone_else(client):
    subscriber = confirmed("cittadina@example.org", comuni=[MESSINA], news=False)
    subscribe(client, comuni=[LIPARI], news="on")
    assert sorted(subscriber.subscriptions.values_list("key", flat=True)) == [MESSINA]
    assert len(mail.outbox) == 1 and "già iscritti" in mail.outbox[0].subject


def test_the_form_is_rate_limited(client, settings):
    settings.SUBSCRIPTIONS_RATE_LIMIT = 2
    for n in range(2):
        assert subscribe(client, email=f"p{n}@example.org").status_code == 302
    response = subscribe(client, email="p9@example.org")
    assert response.status_code == 429 and "Troppe richieste" in response.content.decode()
    assert Subscriber.objects.count() == 2


def test_unconfirmed_addresses_are_deleted_after_the_confirmation_window(settings):
    Subscriber.objects.create(email="vecchio@example.org", created_at=timezone.now() - timedelta(days=8))
    Subscriber.objects.create(email="nuovo@example.org")
    services.subscribers_purge_unconfirmed()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["nuovo@example.org"]


# --- Digests ------------------------------------------------------------------------------------------------------


def test_a_digest_goes_once_to_each_subscriber_with_what_they_follow(settings):
    settings.SITE_URL = "https://psm.example.org"
    messina_fan = confirmed("messina@example.org", comuni=[MESSINA], news=False)
    confirmed("lipari@example.org", comuni=[LIPARI], news=False)
    confirmed("obiettivi@example.org", comuni=[], news=False, objectives=["A1"])
    Subscriber.objects.create(email="non-confermato@example.org")
    record_update(kind=UpdateKind.PROGRESS, title="Ponte: avanzamento al 40%", url="/progetti/1/", comuni=[MESSINA])
    record_update(kind=UpdateKind.NEWS, title="Notizia", url="/notizie/n/", news=True, objectives=["A1"])
    assert digest_send() == 2
    assert digest_send() == 0  # run twice: nobody twice
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["messina@example.org", "obiettivi@example.org"]
    body = by_address["messina@example.org"].body
    assert "Ponte: avanzamento al 40%" in body and "https://psm.example.org/progetti/1/" in body
    assert "Notizia" not in body
    assert messina_fan.unsubscribe_token in body
    assert by_address["messina@example.org"].extra_headers["List-Unsubscribe"].startswith("<https://psm.example.org/")
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == 2


def test_a_digest_is_sent_in_batches_one_connection_each(settings, monkeypatch):
    for n in range(5):
        confirmed(f"p{n}@example.org")
    record_update(kind=UpdateKind.MILESTONE, title="Traguardo", url="/progetti/1/", comuni=[MESSINA])
    opened = []
    real = services.get_connection

    def counting(*args, **kwargs):
        connection = real(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(services, "get_connection", counting)
    assert digest_send(batch_size=2) == 5
    assert len(opened) == 3 and len(mail.outbox) == 5


def test_a_failed_batch_releases_its_claims_for_the_retry(monkeypatch):
    confirmed("p@example.org")
    record_update(kind=UpdateKind.NEWS, title="Notizia", url="/notizie/n/", news=True)

    class Broken:
        def open(self):
            raise ConnectionError("SMTP down")

        def close(self):
            pass

    monkeypatch.setattr(services, "get_connection", lambda: Broken())
    with pytest.raises(ConnectionError):
        digest_send()
    assert not DigestDelivery.objects.exists()
    monkeypatch.undo()
    assert digest_send() == 1


def test_updates_before_the_confirmation_are_not_sent():
    record_update(kind=UpdateKind.NEWS, title="Vecchia", url="/notizie/v/", news=True)
    subscriber = confirmed("p@example.org")
    subscriber.confirmed_at = timezone.now()
    subscriber.save()
    assert digest_send() == 0


# --- Staff ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CAST)
def test_staff_subscribe_to_their_own_areas_with_one_click(name, cast, login):
    user = cast(name)
    client = login(user)
    url = reverse("subscriptions:mine")
    response = client.get(url)
    if user is None:
        assert response.status_code == 302
        assert client.post(url).status_code == 302 and not Subscriber.objects.exists()
        return
    assert response.status_code == 200 and "Le notizie del Piano Strategico" in response.content.decode()
    assert client.post(url).status_code == 302
    subscriber = Subscriber.objects.get(user=user)
    assert subscriber.is_confirmed and subscriber.email == user.email
    keys = set(subscriber.subscriptions.values_list("topic", "key"))
    assert ("notizie", "") in keys
    assert (("comune", MESSINA) in keys) == (name == "mayor_a")
    assert (("comune", LIPARI) in keys) == (name == "mayor_b")
    assert "riceve una e-mail a settimana" in client.get(url).content.decode()
    client.post(url, {"azione": "annulla"})
    assert not Subscriber.objects.exists()


def test_an_office_follows_the_objectives_of_its_projects(login, office_a_user, office_a):
    from phases.factories import ObjectiveFactory
    from projects.factories import ProjectFactory

    axis = ObjectiveFactory(code="A", order=1, title="Asse")
    general = ObjectiveFactory(code="A1", parent=axis, order=1, title="Generale")
    specific = ObjectiveFactory(code="A1.1", parent=general, order=1, title="Specifico")
    ProjectFactory(office=office_a, objectives=[specific])
    login(office_a_user).post(reverse("subscriptions:mine"))
    keys = set(Subscriber.objects.get().subscriptions.values_list("topic", "key"))
    assert keys == {("notizie", ""), ("obiettivo", "A1.1")}


def test_a_subscriber_claimed_by_another_run_is_not_sent_again():
    first, second = confirmed("a@example.org"), confirmed("b@example.org")
    record_update(kind=UpdateKind.NEWS, title="Notizia", url="/notizie/n/", news=True)
    digest = services.digest_for()
    _updates, by_topic = services._updates_by_topic(digest)
    # Another run claimed the first subscriber after this run read its candidates.
    DigestDelivery.objects.create(digest=digest, subscriber=first, claim="altro")
    assert services._send_batch(digest, [first.pk, second.pk], by_topic) == 1
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
