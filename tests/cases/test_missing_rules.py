"""The pure rules of missing episodes (hoth.analytics.missing): the return
home interview's 72-hour clock and the repeated-episodes flag. Fixed times
only; the wall clock never enters."""

from datetime import UTC, datetime, timedelta

from hoth.analytics.missing import (
    DUE,
    NOT_NEEDED,
    OFFERED_IN_TIME,
    OFFERED_LATE,
    OVERDUE,
    STILL_MISSING,
    RepeatRule,
    interview_clock,
    repeated_episodes,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def days_ago(n, hours=0):
    return NOW - timedelta(days=n, hours=hours)


# ------------------------------------------------------------ the 72-hour clock


def test_no_clock_runs_while_the_child_is_still_missing():
    clock = interview_clock(None, now=NOW)
    assert clock.status == STILL_MISSING and clock.due_by is None and not clock.is_running


def test_the_interview_is_due_72_hours_after_the_child_came_back():
    returned = NOW - timedelta(hours=10)
    clock = interview_clock(returned, now=NOW)
    assert clock.due_by == returned + timedelta(hours=72)
    assert clock.status == DUE and clock.label == "Due"
    assert clock.time_left == timedelta(hours=62)
    assert not clock.is_overdue


def test_exactly_72_hours_after_the_return_is_still_in_time():
    clock = interview_clock(NOW - timedelta(hours=72), now=NOW)
    assert clock.status == DUE


def test_a_minute_past_72_hours_without_an_offer_is_overdue():
    clock = interview_clock(NOW - timedelta(hours=72, minutes=1), now=NOW)
    assert clock.status == OVERDUE and clock.is_overdue and clock.label == "Overdue"
    assert clock.time_left == -timedelta(minutes=1)


def test_an_offer_within_72_hours_stops_the_clock_in_time():
    returned = NOW - timedelta(days=10)
    clock = interview_clock(returned, offered_at=returned + timedelta(hours=71), now=NOW)
    assert clock.status == OFFERED_IN_TIME and not clock.is_running


def test_an_offer_after_72_hours_is_recorded_as_late():
    returned = NOW - timedelta(days=10)
    clock = interview_clock(returned, offered_at=returned + timedelta(hours=73), now=NOW)
    assert clock.status == OFFERED_LATE and clock.label == "Offered late"


def test_an_interview_judged_not_applicable_stops_the_clock():
    clock = interview_clock(NOW - timedelta(days=5), not_applicable=True, now=NOW)
    assert clock.status == NOT_NEEDED and not clock.is_overdue


# ------------------------------------------------------------ repeated episodes


def test_one_episode_raises_no_flag():
    assert repeated_episodes([days_ago(3)], NOW) is None


def test_two_episodes_within_30_days_raise_the_flag():
    flag = repeated_episodes([days_ago(2), days_ago(29)], NOW)
    assert flag.rule == RepeatRule(2, 30) and flag.count == 2
    assert flag.description == "2 missing episodes in the last 30 days"


def test_two_episodes_31_days_apart_raise_no_flag():
    assert repeated_episodes([days_ago(1), days_ago(31)], NOW) is None


def test_three_episodes_within_90_days_raise_the_flag():
    flag = repeated_episodes([days_ago(5), days_ago(40), days_ago(89)], NOW)
    assert flag.rule == RepeatRule(3, 90) and flag.count == 3


def test_episodes_older_than_90_days_never_count():
    assert repeated_episodes([days_ago(5), days_ago(91), days_ago(200), days_ago(400)], NOW) is None


def test_the_shorter_window_is_named_first_when_both_are_met():
    flag = repeated_episodes([days_ago(1), days_ago(2), days_ago(60)], NOW)
    assert flag.rule.days == 30 and flag.count == 2


def test_an_episode_dated_in_the_future_never_raises_the_flag():
    assert repeated_episodes([days_ago(1), NOW + timedelta(days=1)], NOW) is None


def test_the_window_includes_its_first_moment():
    assert repeated_episodes([NOW, NOW - timedelta(days=30)], NOW) is not None


def test_rules_can_be_given_by_the_partnership():
    assert repeated_episodes([days_ago(1)], NOW, rules=(RepeatRule(1, 7),)).count == 1
