"""The process's app: its name, and the sections and datasets it adds to the lower apps' registries (the comune's
page, the open-data catalogue) once the apps are loaded."""

from django.apps import AppConfig


class PhasesConfig(AppConfig):
    name = "phases"
    verbose_name = "Fasi, visione e obiettivi"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import comune_page
        from outcomes.sections import target_inputs_section
        from phases.objective_page import objective_page
        from phases.opendata import OBJECTIVES, POSITIONS
        from phases.outcome_kinds import register
        from phases.search import OBJECTIVES as OBJECTIVES_SEARCH
        from phases.sections import needs_section, open_review_section, positions_section
        from psm_portal.lib.opendata import catalogue
        from psm_portal.lib.search import search_registry

        comune_page.register(needs_section, order=10)
        comune_page.register(open_review_section, order=15)
        comune_page.register(positions_section, order=20)
        catalogue.register(OBJECTIVES, order=20)
        catalogue.register(POSITIONS, order=30)
        search_registry.register(OBJECTIVES_SEARCH, order=20)
        register()
        objective_page.register(target_inputs_section, order=5)
