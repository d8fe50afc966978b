"""Tavoli di lavoro."""

from django.apps import AppConfig


class TablesConfig(AppConfig):
    name = "tables"
    verbose_name = "Tavoli di lavoro"
