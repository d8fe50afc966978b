"""Tavoli di lavoro."""

from django.apps import AppConfig


class TablesConfig(AppConfig):
    name = "tables"
    verbose_name = "Tavoli di lavoro"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import comune_page
        from phases.objective_page import objective_page
        from projects.project_page import project_page
        from projects.proposal_page import proposal_page
        from psm_portal.lib.opendata import catalogue
        from psm_portal.lib.search import search_registry
        from tables.opendata import DATASETS
        from tables.search import MINUTES
        from tables.sections import (
            municipality_tables,
            objective_outcomes,
            project_outcomes,
            proposal_outcomes,
            scenario_outcomes,
            vocation_outcomes,
        )
        from vocations.vocation_page import scenarios_page, vocation_page

        comune_page.register(municipality_tables, order=40)
        project_page.register(project_outcomes, order=20)
        objective_page.register(objective_outcomes, order=20)
        proposal_page.register(proposal_outcomes, order=10)
        vocation_page.register(vocation_outcomes, order=10)
        scenarios_page.register(scenario_outcomes, order=10)
        for order, dataset in enumerate(DATASETS, start=60):
            catalogue.register(dataset, order=order)
        search_registry.register(MINUTES, order=50)
