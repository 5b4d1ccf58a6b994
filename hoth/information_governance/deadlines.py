"""When a subject access request must be answered (UK GDPR Article 12(3)).

One calendar month from the day it is received: the same date next month,
or the last day of next month when it has no such date (received 31 January,
due 28 or 29 February). A deadline that falls on a weekend or a bank holiday
moves to the next working day. A complex or numerous request may be
extended by two further months, counted the same way from the day received.
This is how the Information Commissioner's Office counts it.

Plain Python, no Django: the bank holidays are handed in.
"""

from datetime import date

from hoth.working_days.counting import add_months, working_day_on_or_after

MONTHS_TO_ANSWER = 1
MONTHS_EXTENDED = 2


def due_on(received: date, holidays=frozenset()) -> date:
    return working_day_on_or_after(add_months(received, MONTHS_TO_ANSWER), holidays)


def extended_to(received: date, holidays=frozenset()) -> date:
    return working_day_on_or_after(add_months(received, MONTHS_TO_ANSWER + MONTHS_EXTENDED), holidays)
