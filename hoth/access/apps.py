from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "hoth.access"
    verbose_name = "Access gate"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from hoth.accounts.models import RoleAssignment, User
        from hoth.panels.models import AgendaItem
        from hoth.people.models import Involvement

        from . import policy
        from .models import BreakGlass

        # Whatever changes who works with whom makes the request's memo stale.
        for model in (Involvement, BreakGlass, AgendaItem, RoleAssignment):
            post_save.connect(policy.forget, sender=model, dispatch_uid=f"access-forget-save-{model.__name__}")
            post_delete.connect(policy.forget, sender=model, dispatch_uid=f"access-forget-delete-{model.__name__}")
        m2m_changed.connect(policy.forget, sender=User.teams.through, dispatch_uid="access-forget-teams")
