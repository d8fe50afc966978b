"""The informative pages' app: accessibility statement, privacy, legal notes."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "psm_portal.pages"
    label = "pages"
    verbose_name = "Pagine informative"
