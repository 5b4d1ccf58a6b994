from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "hoth.access"
    verbose_name = "Access gate"

    def ready(self):
        from . import checks, memo, policy  # noqa: F401  (checks registers the system checks)
        from .models import BreakGlass

        memo.forget_when_changed(BreakGlass)
        policy.discover()
