"""The plan documents' app: the preliminary proposal and the final plan as PDF, and the draft's discussion."""

from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "plan"
    label = "plan"
    verbose_name = "Documenti del piano"

    def ready(self) -> None:
        # The comments on the draft are inputs of outcomes, registered once the models are loaded.
        from plan.outcome_kinds import register

        register()
