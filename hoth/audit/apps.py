from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hoth.audit"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
