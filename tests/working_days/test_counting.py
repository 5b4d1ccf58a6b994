"""The one way deadlines count days, across weekends, bank holidays, month
ends and leap years, without a database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoth.working_days.counting import (
    add_months,
    add_working_days,
    is_working_day,
    next_working_day,
    working_day_on_or_after,
)

CHRISTMAS_2026 = frozenset({date(2026, 12, 25), date(2026, 12, 28)})  # Boxing Day falls on a Saturday


def test_christmas_week_skips_the_weekend_and_both_bank_holidays():
    assert next_working_day(date(2026, 12, 24), CHRISTMAS_2026) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 23), 3, CHRISTMAS_2026) == date(2026, 12, 30)
    assert working_day_on_or_after(date(2026, 12, 25), CHRISTMAS_2026) == date(2026, 12, 29)
    assert working_day_on_or_after(date(2026, 12, 24), CHRISTMAS_2026) == date(2026, 12, 24)
    assert add_working_days(date(2026, 12, 26), 0, CHRISTMAS_2026) == date(2026, 12, 26)


def test_a_month_on_from_a_day_the_next_month_lacks_is_its_last_day():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2030, 3, 15), -14) == date(2029, 1, 15)


def test_a_week_without_working_days_is_refused_rather_than_looped_over():
    with pytest.raises(ValueError, match="No working day"):
        next_working_day(date(2026, 1, 1), weekdays=frozenset())


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(0, 40),
    st.frozensets(st.dates(min_value=date(2000, 1, 1), max_value=date(2091, 12, 31)), max_size=30),
)
def test_adding_working_days_lands_on_a_working_day_and_passes_exactly_that_many(start, days, holidays):
    end = add_working_days(start, days, holidays)
    passed = sum(is_working_day(start + timedelta(d), holidays) for d in range(1, (end - start).days + 1))
    assert passed == days
    assert days == 0 or is_working_day(end, holidays)
