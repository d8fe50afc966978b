from django.apps import AppConfig


class PhasesConfig(AppConfig):
    name = "phases"
    verbose_name = "Fasi, visione e obiettivi"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import register_section
        from phases.sections import needs_section, positions_section

        register_section(needs_section, order=10)
        register_section(positions_section, order=20)
