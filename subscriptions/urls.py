"""The addresses of subscriptions."""

from django.urls import path

from subscriptions.views import public, reserved

app_name = "subscriptions"

urlpatterns = [
    path("iscrizioni/", public.subscribe, name="subscribe"),
    path("iscrizioni/inviata/", public.sent, name="sent"),
    path("iscrizioni/conferma/<str:token>/", public.confirm, name="confirm"),
    path("iscrizioni/annulla/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("area-riservata/iscrizioni/", reserved.mine, name="mine"),
]
