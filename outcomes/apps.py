"""Esiti dei contributi."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Esiti dei contributi"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import comune_page
        from outcomes.sections import municipality_section

        comune_page.register(municipality_section, order=12)
