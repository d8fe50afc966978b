"""The citizen questionnaire's app: its name, and the section it adds to a comune's page once the apps are loaded."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Questionario ai cittadini"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import comune_page
        from psm_portal.lib.opendata import catalogue
        from psm_portal.lib.search import search_registry
        from surveys.opendata import datasets
        from surveys.outcome_kinds import register
        from surveys.profile import participation_section
        from surveys.search import QUESTIONNAIRES

        comune_page.register(participation_section, order=40)
        catalogue.register_provider(datasets, order=60)
        search_registry.register(QUESTIONNAIRES, order=40)
        register()
