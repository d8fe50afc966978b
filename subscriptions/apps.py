"""Iscrizioni e notifiche."""

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Iscrizioni e notifiche"
