"""The accounts app: the people who sign in, their roles and the offices they belong to."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "psm_portal.accounts"
    label = "accounts"
    verbose_name = "Utenti e ruoli"
