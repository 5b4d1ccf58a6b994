"""Changes to the bank holidays, by system administrators: each in one
transaction with one audit event (reference data is data, DESIGN.md rule 3)."""

from django.db import transaction

from hoth.access import policy
from hoth.audit.log import record

from .models import BankHoliday

ACTION = "reference_data.manage"


def _audit(user, audit, holiday, change):
    record(
        "admin",
        audit=audit,
        user=user,
        obj=holiday,
        detail={
            "reference_data": "bank_holidays",
            "change": change,
            "day": holiday.day.isoformat(),
            "name": holiday.name,
        },
    )


@transaction.atomic
def add_bank_holiday(user, day, name, *, audit=None):
    policy.check(user, ACTION)
    holiday = BankHoliday.objects.create(day=day, name=name, version="")
    _audit(user, audit, holiday, "added")
    return holiday


@transaction.atomic
def remove_bank_holiday(user, holiday, *, audit=None):
    policy.check(user, ACTION, holiday)
    _audit(user, audit, holiday, "removed")
    holiday.delete()
