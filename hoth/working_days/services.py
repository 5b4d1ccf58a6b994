"""Changes to the bank holidays, by system administrators: each in one
transaction with one audit event (reference data is data, DESIGN.md rule 3)."""

import datetime

from django.db import transaction

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit.context import AuditContext
from hoth.audit.log import record

from .models import BankHoliday

ACTION = "reference_data.manage"


def _audit(user: User, audit: AuditContext | None, holiday: BankHoliday, change: str) -> None:
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
def add_bank_holiday(user: User, day: datetime.date, name: str, *, audit: AuditContext | None = None) -> BankHoliday:
    policy.check(user, ACTION)
    holiday = BankHoliday.objects.create(day=day, name=name, version="")
    _audit(user, audit, holiday, "added")
    return holiday


@transaction.atomic
def remove_bank_holiday(user: User, holiday: BankHoliday, *, audit: AuditContext | None = None) -> None:
    policy.check(user, ACTION, holiday)
    _audit(user, audit, holiday, "removed")
    holiday.delete()
