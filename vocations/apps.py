"""Vocazioni e scenari."""

from django.apps import AppConfig


class VocationsConfig(AppConfig):
    name = "vocations"
    verbose_name = "Vocazioni e scenari"
