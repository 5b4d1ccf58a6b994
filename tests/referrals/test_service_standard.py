"""When a referral must be screened by: one working day, urgent the same
working day, with evenings, weekends and bank holidays counted as the front
door counts them. A pure function: no database, no clock."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hoth.referrals.service_standard import Standard, day_received, screen_by

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


# 2026-11-27 is a Friday; 2026-11-30 the Monday after.
def test_a_referral_on_a_friday_morning_is_due_by_the_end_of_monday():
    assert screen_by(at(2026, 11, 27, 10), urgent=False) == at(2026, 11, 30, 17)


def test_an_urgent_referral_on_a_friday_morning_is_due_that_friday():
    assert screen_by(at(2026, 11, 27, 10), urgent=True) == at(2026, 11, 27, 17)


def test_a_referral_after_the_working_day_counts_as_received_the_next_working_day():
    # Friday 18:00 is received on Monday; one working day later is Tuesday.
    assert day_received(at(2026, 11, 27, 18), Standard()) == date(2026, 11, 30)
    assert screen_by(at(2026, 11, 27, 18), urgent=False) == at(2026, 12, 1, 17)
    assert screen_by(at(2026, 11, 27, 18), urgent=True) == at(2026, 11, 30, 17)


@pytest.mark.parametrize("saturday_or_sunday", [at(2026, 11, 28, 9), at(2026, 11, 29, 23, 59)])
def test_a_weekend_referral_is_received_on_monday(saturday_or_sunday):
    assert screen_by(saturday_or_sunday, urgent=True) == at(2026, 11, 30, 17)
    assert screen_by(saturday_or_sunday, urgent=False) == at(2026, 12, 1, 17)


def test_bank_holidays_are_not_working_days():
    # Christmas Day and Boxing Day (observed Monday 28th) 2026.
    holidays = frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    standard = Standard(holidays=holidays)
    # Thursday 24th after hours: received Tuesday 29th, due Wednesday 30th.
    assert screen_by(at(2026, 12, 24, 17, 30), urgent=False, standard=standard) == at(2026, 12, 30, 17)


def test_the_standard_is_configurable():
    two_days_late_close = Standard(working_days=2, urgent_working_days=1, day_ends=time(18, 30))
    assert screen_by(at(2026, 11, 26, 18), urgent=False, standard=two_days_late_close) == at(2026, 11, 30, 18, 30)
    assert screen_by(at(2026, 11, 26, 18), urgent=True, standard=two_days_late_close) == at(2026, 11, 27, 18, 30)


def test_times_given_in_utc_are_judged_by_the_working_day_in_england():
    # 16:30 UTC in British Summer Time is 17:30 in London: after the working day.
    summer = datetime(2026, 7, 1, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert screen_by(summer, urgent=True) == at(2026, 7, 2, 17)
    # 16:30 UTC in winter is 16:30 in London: still today.
    winter = datetime(2026, 12, 2, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert screen_by(winter, urgent=True) == at(2026, 12, 2, 17)


def test_a_time_without_a_timezone_is_refused():
    with pytest.raises(ValueError):
        screen_by(datetime(2026, 11, 27, 10), urgent=False)


def test_a_standard_with_no_working_days_is_refused_not_looped():
    with pytest.raises(ValueError):
        screen_by(at(2026, 11, 27, 10), urgent=False, standard=Standard(working_weekdays=frozenset()))
