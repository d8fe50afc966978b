"""The projects app: the offices' portfolios, their imports, and the proposals of phase 2."""

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Uffici e progetti"
