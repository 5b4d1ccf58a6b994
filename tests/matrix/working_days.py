"""Who may use the bank holiday pages: reference_data.manage, system administrators only."""

from datetime import date

from hoth.working_days.models import BankHoliday

from .common import SYSTEM_ADMINISTRATORS, Rule


def bank_holiday(world, user, scope):
    return {"pk": BankHoliday.objects.get_or_create(day=date(2026, 12, 25), defaults={"name": "Christmas Day"})[0].pk}


RULES = {
    "working_days:bank-holidays": (
        Rule(allowed=SYSTEM_ADMINISTRATORS),
        Rule(
            allowed=SYSTEM_ADMINISTRATORS,
            method="POST",
            data={"day_0": "8", "day_1": "5", "day_2": "2026", "name": "A special bank holiday"},
        ),
    ),
    "working_days:bank-holiday-remove": (
        Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=bank_holiday),
        Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=bank_holiday, method="POST"),
    ),
}
