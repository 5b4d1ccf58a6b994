"""Counting days as the partnership's deadlines count them: working days
(Monday to Friday unless told otherwise, never a bank holiday) and calendar
months. The one definition the screening clock, the NRM's Reasonable Grounds
target, subject access deadlines and the retention schedule all use.

Plain Python, no Django: the bank holidays are handed in (hoth.working_days.
holidays.bank_holidays() reads them from the database)."""

import calendar
from datetime import date, timedelta

MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


def is_working_day(day: date, holidays=frozenset(), weekdays=MONDAY_TO_FRIDAY) -> bool:
    return day.weekday() in weekdays and day not in holidays


def next_working_day(day: date, holidays=frozenset(), weekdays=MONDAY_TO_FRIDAY) -> date:
    """The first working day after `day`."""
    return working_day_on_or_after(day + timedelta(days=1), holidays, weekdays)


def working_day_on_or_after(day: date, holidays=frozenset(), weekdays=MONDAY_TO_FRIDAY) -> date:
    """`day` itself if it is a working day, else the next one: a deadline that
    falls on a weekend or a bank holiday moves to the next working day."""
    # A year without a working day would be a misconfiguration, not a loop.
    for _ in range(366):
        if is_working_day(day, holidays, weekdays):
            return day
        day += timedelta(days=1)
    raise ValueError("No working day in a year: the working weekdays are empty")


def add_working_days(start: date, days: int, holidays=frozenset(), weekdays=MONDAY_TO_FRIDAY) -> date:
    """`days` working days after `start` (`start` itself for none)."""
    for _ in range(days):
        start = next_working_day(start, holidays, weekdays)
    return start


def add_months(day: date, months: int) -> date:
    """The same date `months` later, or the last day of that month when it has
    no such date (31 January and a month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
