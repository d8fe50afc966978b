"""Notizie."""

from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Notizie"

    def ready(self) -> None:
        # The subscriptions' registries (a lower app) learn the objectives and an office's areas from here.
        from news.search import NEWS
        from news.topics import objective_choices, office_areas
        from psm_portal.lib.search import search_registry
        from subscriptions import topics
        from subscriptions.models import Topic

        topics.register_choices(Topic.OBJECTIVE, objective_choices)
        topics.register_areas(office_areas)
        search_registry.register(NEWS, order=60)
