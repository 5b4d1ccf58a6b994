from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hoth.plans"
    verbose_name = "Safety and support plans and reviews"

    def ready(self):
        # A task finished from "My tasks" finishes the plan action it came from.
        from . import signals  # noqa: F401
