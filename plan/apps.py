from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "plan"
    label = "plan"
    verbose_name = "Documenti del piano"
