from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hoth.accounts"

    def ready(self):
        from axes.signals import user_locked_out

        from . import signals

        # weak=False: the receivers are module functions, but be explicit that
        # the audit of lockouts must never be garbage-collected away.
        user_locked_out.connect(signals.audit_lockout, weak=False, dispatch_uid="hoth.accounts.audit_lockout")
