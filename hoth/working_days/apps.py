from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WorkingDaysConfig(AppConfig):
    name = "hoth.working_days"
    verbose_name = "Working days: the bank holidays every clock skips"

    def ready(self):
        from .holidays import forget_bank_holidays
        from .models import BankHoliday

        post_save.connect(forget_bank_holidays, sender=BankHoliday, dispatch_uid="forget-bank-holidays-saved")
        post_delete.connect(forget_bank_holidays, sender=BankHoliday, dispatch_uid="forget-bank-holidays-deleted")
