"""The implementation app: reporting cycles, the offices' progress reports, the roll-up and the public
/attuazione/ pages."""

from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "implementation"
    verbose_name = "Attuazione"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from implementation.governance import register_review
        from implementation.indicators import objective_indicators
        from implementation.opendata import DATASETS
        from implementation.sections import municipality_implementation, project_reports
        from municipalities.profile import comune_page
        from phases.objective_page import objective_page
        from projects.project_page import project_page
        from psm_portal.lib.opendata import catalogue

        register_review()
        comune_page.register(municipality_implementation, order=35)
        project_page.register(project_reports, order=10)
        objective_page.register(objective_indicators, order=20)
        for order, dataset in enumerate(DATASETS, start=50):
            catalogue.register(dataset, order=order)
