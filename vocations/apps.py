"""Vocazioni e scenari: the comune page's section, the open-data datasets and the plan sections are registered
once the models are loaded."""

from django.apps import AppConfig


class VocationsConfig(AppConfig):
    name = "vocations"
    verbose_name = "Vocazioni e scenari"

    def ready(self) -> None:
        # Registries of the lower apps are filled once the models are loaded.
        from municipalities.profile import comune_page
        from psm_portal.lib.opendata import catalogue
        from vocations.opendata import DATASETS
        from vocations.review import register_review
        from vocations.sections import municipality_ratings

        register_review()
        comune_page.register(municipality_ratings, order=45)
        for order, dataset in enumerate(DATASETS, start=70):
            catalogue.register(dataset, order=order)
