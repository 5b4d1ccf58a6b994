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
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hoth.working_days.counting import MONDAY_TO_FRIDAY, add_working_days, is_working_day, next_working_day


@dataclass(frozen=True)
class Standard:
    working_days: int = 1
    urgent_working_days: int = 0
    day_ends: time = time(17, 0)
    # Monday is 0: the front door works Monday to Friday unless told otherwise.
    working_weekdays: frozenset = MONDAY_TO_FRIDAY
    holidays: frozenset = field(default_factory=frozenset)
    timezone: str = "Europe/London"

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.holidays, self.working_weekdays)


def day_received(arrived: datetime, standard: Standard) -> date:
    """The working day a referral counts as received on."""
    local = arrived.astimezone(ZoneInfo(standard.timezone))
    day = local.date()
    if standard.is_working_day(day) and local.time() < standard.day_ends:
        return day
    return next_working_day(day, standard.holidays, standard.working_weekdays)


def screen_by(arrived: datetime, *, urgent: bool, standard: Standard = Standard()) -> datetime:
    """The moment the screening is due: the end of the working day that is
    N working days after the day received (N = 0 for the same day)."""
    if arrived.tzinfo is None:
        raise ValueError("screen_by needs a timezone-aware time")
    day = add_working_days(
        day_received(arrived, standard),
        standard.urgent_working_days if urgent else standard.working_days,
        standard.holidays,
        standard.working_weekdays,
    )
    return datetime.combine(day, standard.day_ends, tzinfo=ZoneInfo(standard.timezone))
