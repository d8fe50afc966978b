"""The addresses of subscriptions. A token is what ``secrets.token_urlsafe`` writes: anything else (a NUL byte,
which PostgreSQL refuses) matches no page."""

from django.urls import path, re_path

from subscriptions.views import public, reserved

app_name = "subscriptions"

TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,64})"

urlpatterns = [
    path("iscrizioni/", public.subscribe, name="subscribe"),
    path("iscrizioni/inviata/", public.sent, name="sent"),
    re_path(rf"^iscrizioni/conferma/{TOKEN}/$", public.confirm, name="confirm"),
    re_path(rf"^iscrizioni/annulla/{TOKEN}/$", public.unsubscribe, name="unsubscribe"),
    path("area-riservata/iscrizioni/", reserved.mine, name="mine"),
]
