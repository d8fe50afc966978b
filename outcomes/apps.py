"""Esiti dei contributi."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Esiti dei contributi"
