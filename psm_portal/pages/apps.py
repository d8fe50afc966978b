from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "psm_portal.pages"
    label = "pages"
    verbose_name = "Pagine informative"
