"""The citizen questionnaire's app: its name, and the section it adds to a comune's page once the apps are loaded."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Questionario ai cittadini"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import register_section
        from surveys.profile import participation_section

        register_section(participation_section, order=40)
