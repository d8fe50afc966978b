"""Demo data for ``manage.py seed_demo``: one confirmed subscriber following the news and Messina, made through
the services (the request, then the confirmation its e-mail would lead to). Idempotent."""

from __future__ import annotations

from subscriptions.models import Subscriber
from subscriptions.services import subscriber_confirm, subscriber_request

DEMO_SUBSCRIBER = "cittadina@demo.psm.local"


def seed(stdout) -> None:
    if Subscriber.objects.filter(email=DEMO_SUBSCRIBER).exists():
        return
    subscriber = subscriber_request(email=DEMO_SUBSCRIBER, news=True, comuni=["083048"])
    subscriber_confirm(token=subscriber.confirm_token)
    stdout.write(f"Iscritta dimostrativa agli aggiornamenti: {DEMO_SUBSCRIBER} (notizie e Messina).")
