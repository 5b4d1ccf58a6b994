"""Changes to the bank holidays, by system administrators: each in one
transaction with one audit event (reference data is data, DESIGN.md rule 3)."""

from django.db import transaction

from hoth.access import policy
from hoth.audit.log import record

from .models import BankHoliday

ACTION = "reference_data.manage"


def _audit(user, request, holiday, change):
    record("admin", request=request, user=user, obj=holiday, detail={
        "reference_data": "bank_holidays", "change": change, "day": holiday.day.isoformat(), "name": holiday.name})


@transaction.atomic
def add_bank_holiday(user, day, name, *, request=None):
    policy.check(user, ACTION)
    holiday = BankHoliday.objects.create(day=day, name=name, version="")
    _audit(user, request, holiday, "added")
    return holiday


@transaction.atomic
def remove_bank_holiday(user, holiday, *, request=None):
    policy.check(user, ACTION, holiday)
    _audit(user, request, holiday, "removed")
    holiday.delete()
