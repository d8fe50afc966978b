"""The comuni's app: its name, and its entry in the open-data catalogue once the apps are loaded."""

from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = "Comuni"

    def ready(self) -> None:
        # Registries are filled once the models are loaded.
        from municipalities.opendata import COMUNI
        from municipalities.search import COMUNI as COMUNI_SEARCH
        from psm_portal.lib.opendata import catalogue
        from psm_portal.lib.search import search_registry

        catalogue.register(COMUNI, order=10)
        search_registry.register(COMUNI_SEARCH, order=10)
