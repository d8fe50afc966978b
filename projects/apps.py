"""The projects app: the offices' portfolios, their imports, and the proposals of phase 2."""

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Progetti"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import comune_page
        from outcomes.sections import target_inputs_section
        from phases.objective_page import objective_page
        from projects.opendata import DATASETS
        from projects.outcome_kinds import register
        from projects.profile import municipality_projects, objective_projects
        from projects.project_page import project_page
        from projects.search import PROJECTS
        from psm_portal.lib.opendata import catalogue
        from psm_portal.lib.search import search_registry

        comune_page.register(municipality_projects, order=30)
        objective_page.register(objective_projects, order=10)
        register()
        project_page.register(target_inputs_section, order=5)
        for order, dataset in enumerate(DATASETS, start=40):
            catalogue.register(dataset, order=order)
        search_registry.register(PROJECTS, order=30)
