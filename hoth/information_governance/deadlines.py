"""When a subject access request must be answered (UK GDPR Article 12(3)).

One calendar month from the day it is received: the same date next month,
or the last day of next month when it has no such date (received 31 January,
due 28 or 29 February). A deadline that falls on a weekend or a bank holiday
moves to the next working day. A complex or numerous request may be
extended by two further months, counted the same way from the day received.
This is how the Information Commissioner's Office counts it.

Plain Python, no Django: the bank holidays are handed in.
"""

import calendar
from datetime import date, timedelta

MONTHS_TO_ANSWER = 1
MONTHS_EXTENDED = 2


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _working(day: date, holidays) -> date:
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def due_on(received: date, holidays=frozenset()) -> date:
    return _working(add_months(received, MONTHS_TO_ANSWER), holidays)


def extended_to(received: date, holidays=frozenset()) -> date:
    return _working(add_months(received, MONTHS_TO_ANSWER + MONTHS_EXTENDED), holidays)
