from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "psm_portal.accounts"
    label = "accounts"
    verbose_name = "Utenti e ruoli"
