"""The front door's service standard: when a referral must be screened by.

A referral is screened within one working day of arriving, an urgent one the
same working day (both configurable: HOTH_SCREENING_WORKING_DAYS and
HOTH_URGENT_SCREENING_WORKING_DAYS). A referral that arrives after the end of
the working day, at a weekend or on a bank holiday counts as arriving on the
next working day: nobody is on the front door to start the clock.

Plain Python, no Django: settings are read by hoth.referrals.services and
handed in as a Standard, so this can be tested across weekends and holidays
without a database.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Standard:
    working_days: int = 1
    urgent_working_days: int = 0
    day_ends: time = time(17, 0)
    # Monday is 0: the front door works Monday to Friday unless told otherwise.
    working_weekdays: frozenset = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset = field(default_factory=frozenset)
    timezone: str = "Europe/London"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_weekdays and day not in self.holidays


def _next_working_day(day: date, standard: Standard) -> date:
    day += timedelta(days=1)
    # A year without a working day would be a misconfiguration, not a loop.
    for _ in range(366):
        if standard.is_working_day(day):
            return day
        day += timedelta(days=1)
    raise ValueError("The service standard has no working days")


def day_received(arrived: datetime, standard: Standard) -> date:
    """The working day a referral counts as received on."""
    local = arrived.astimezone(ZoneInfo(standard.timezone))
    day = local.date()
    if standard.is_working_day(day) and local.time() < standard.day_ends:
        return day
    return _next_working_day(day, standard)


def screen_by(arrived: datetime, *, urgent: bool, standard: Standard = Standard()) -> datetime:
    """The moment the screening is due: the end of the working day that is
    N working days after the day received (N = 0 for the same day)."""
    if arrived.tzinfo is None:
        raise ValueError("screen_by needs a timezone-aware time")
    day = day_received(arrived, standard)
    for _ in range(standard.urgent_working_days if urgent else standard.working_days):
        day = _next_working_day(day, standard)
    return datetime.combine(day, standard.day_ends, tzinfo=ZoneInfo(standard.timezone))
