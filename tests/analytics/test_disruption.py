"""The effect of disruption, counted on plain dates: the level that stood on
the day it took effect against the latest level, and missing episodes in the
windows either side, with an after window that says when it is not complete."""

from datetime import date, timedelta

import pytest

from hoth.analytics import disruption as maths

GRANTED = date(2026, 3, 1)
DAY = timedelta(days=1)


def test_the_level_on_a_day_is_the_latest_screening_completed_by_then():
    screenings = [(date(2026, 1, 10), "medium"), (date(2025, 11, 2), "low"), (date(2026, 3, 1), "high")]
    assert maths.level_on(screenings, date(2025, 11, 1)) is None
    assert maths.level_on(screenings, date(2026, 2, 28)) == "medium"
    # A screening completed on the day counts for that day.
    assert maths.level_on(screenings, GRANTED) == "high"


def test_a_child_whose_level_fell_and_who_went_missing_less_after_the_order():
    effect = maths.child_effect(
        "tyler",
        GRANTED,
        today=date(2026, 9, 1),
        screenings=[(date(2026, 2, 1), "high"), (date(2026, 6, 1), "medium")],
        missing_starts=[
            GRANTED - 90 * DAY,
            GRANTED - DAY,
            GRANTED - 91 * DAY,
            GRANTED,
            GRANTED + 89 * DAY,
            GRANTED + 90 * DAY,
        ],
    )
    assert (effect.level_before, effect.level_now, effect.change) == ("high", "medium", maths.LOWER)
    assert effect.screened_since
    # The before window is the 90 days before the day (91 days before is outside it); the day itself is after.
    assert (effect.missing_before, effect.missing_after) == (2, 2)


@pytest.mark.parametrize(
    "before, now, change",
    [
        ("low", "high", maths.HIGHER),
        ("medium", "medium", maths.SAME),
        (None, "high", maths.UNKNOWN),
        ("high", None, maths.UNKNOWN),
    ],
)
def test_the_change_in_level(before, now, change):
    assert maths.change(before, now) == change


def test_no_screening_since_leaves_the_level_as_it_was():
    effect = maths.child_effect("amber", GRANTED, date(2026, 4, 1), [(date(2026, 1, 5), "low")], [])
    assert effect.level_now == "low" and effect.change == maths.SAME and not effect.screened_since


def test_records_dated_after_today_are_not_counted():
    effect = maths.child_effect(
        "callum", GRANTED, GRANTED + 10 * DAY, [(GRANTED + 20 * DAY, "none")], [GRANTED + 11 * DAY]
    )
    assert effect.level_now is None and effect.missing_after == 0


def test_a_disruption_cannot_take_effect_after_today():
    with pytest.raises(ValueError):
        maths.child_effect("x", GRANTED, GRANTED - DAY, [], [])


def test_the_after_window_says_how_much_of_it_has_passed():
    summary = maths.summarise([], GRANTED, GRANTED + 29 * DAY)
    assert summary.after_days == 30 and not summary.after_complete and summary.days_to_complete == 60
    complete = maths.summarise([], GRANTED, GRANTED + 200 * DAY)
    assert complete.after_days == 90 and complete.after_complete and complete.days_to_complete == 0
    assert maths.after_days(GRANTED, GRANTED) == 1


def test_children_are_added_together():
    children = {
        "a": ([(GRANTED - 5 * DAY, "high"), (GRANTED + 40 * DAY, "medium")], [GRANTED - 3 * DAY, GRANTED - 2 * DAY]),
        "b": ([(GRANTED - 5 * DAY, "low"), (GRANTED + 40 * DAY, "medium")], [GRANTED + 3 * DAY]),
        "c": ([], []),
    }
    effects = maths.effects(GRANTED, GRANTED + 100 * DAY, children)
    assert [e.child for e in effects] == ["a", "b", "c"]
    summary = maths.summarise(effects, GRANTED, GRANTED + 100 * DAY)
    assert (summary.children, summary.lower, summary.higher, summary.same, summary.unknown) == (3, 1, 1, 0, 1)
    assert (summary.missing_before, summary.missing_after) == (2, 1)


def test_a_shorter_window_can_be_asked_for():
    effect = maths.child_effect(
        "a",
        GRANTED,
        GRANTED + 60 * DAY,
        [],
        [GRANTED - 31 * DAY, GRANTED + 29 * DAY, GRANTED + 30 * DAY],
        window_days=30,
    )
    assert (effect.missing_before, effect.missing_after) == (0, 1)
