"""The effect of disruption on the children it was meant to protect: each
linked child's screening level and missing episodes before and after the day
a disruption took effect (an order granted, a notice issued, a patrol begun).

Plain Python on dates and level codes; no Django. The caller decides which
children are counted and whose figures may be shown (hoth.disruption.effect
loads them through the access gate); this module only does the arithmetic,
so the plan page, the panel and any later report count the same way.

How it is measured, in words a panel can check:

- the level *before* is the level that stood on the day the disruption took
  effect: the latest screening completed on or before that day;
- the level *now* is the latest screening completed up to today;
- missing episodes are counted by the day they began, in the `window_days`
  before that day (the day itself not included) and in the `window_days`
  from that day on. While fewer than `window_days` have passed the after
  window is not complete, and says how many days it covers so far.

Before and after is not cause and effect: a child's level can fall because
their case work is going well whatever happened to the adult exploiting
them. The page says so beside the figures.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .screening import LEVELS

WINDOW_DAYS = 90

LOWER, HIGHER, SAME, UNKNOWN = "lower", "higher", "same", "unknown"


@dataclass(frozen=True)
class ChildEffect:
    """One child, before and after."""

    child: Hashable
    level_before: str | None
    level_now: str | None
    # A screening was completed after the day it took effect: "now" is news.
    screened_since: bool
    change: str  # LOWER, HIGHER, SAME or UNKNOWN
    missing_before: int
    missing_after: int


@dataclass(frozen=True)
class EffectSummary:
    """Several children counted together."""

    start: date
    today: date
    window_days: int
    # How much of the after window has passed (at most window_days).
    after_days: int
    children: int
    lower: int
    higher: int
    same: int
    unknown: int
    missing_before: int
    missing_after: int

    @property
    def after_complete(self):
        return self.after_days >= self.window_days

    @property
    def days_to_complete(self):
        return max(0, self.window_days - self.after_days)


def level_on(screenings: Iterable[tuple[date, str]], day: date) -> str | None:
    """The level that stood on `day`: that of the latest screening completed
    on or before it (the later one wins on a day with two). None if the child
    had not been screened by then."""
    found = None
    for completed_on, level in sorted(screenings, key=lambda s: s[0]):
        if completed_on > day:
            break
        found = level
    return found


def after_days(start: date, today: date, window_days: int = WINDOW_DAYS) -> int:
    """Days of the after window that have passed by the end of `today`."""
    return max(0, min(window_days, (today - start).days + 1))


def change(before: str | None, now: str | None) -> str:
    if before not in LEVELS or now not in LEVELS:
        return UNKNOWN
    step = LEVELS.index(now) - LEVELS.index(before)
    return LOWER if step < 0 else HIGHER if step > 0 else SAME


def child_effect(
    child: Hashable,
    start: date,
    today: date,
    screenings: Iterable[tuple[date, str]],
    missing_starts: Iterable[date],
    window_days: int = WINDOW_DAYS,
) -> ChildEffect:
    """One child's figures for a disruption that took effect on `start`.
    `screenings` are (day completed, level); `missing_starts` the days each
    missing episode began. Anything dated after `today` is ignored: a record
    from the future cannot show an effect."""
    if start > today:
        raise ValueError("the disruption cannot take effect after today")
    screenings = [(day, level) for day, level in screenings if day <= today]
    before = level_on(screenings, start)
    now = level_on(screenings, today)
    screened_since = any(day > start for day, _ in screenings)
    starts = [day for day in missing_starts if day <= today]
    window = timedelta(days=window_days)
    return ChildEffect(
        child=child,
        level_before=before,
        level_now=now,
        screened_since=screened_since,
        change=change(before, now),
        missing_before=sum(1 for day in starts if start - window <= day < start),
        missing_after=sum(1 for day in starts if start <= day < start + window),
    )


def summarise(
    effects: Iterable[ChildEffect], start: date, today: date, window_days: int = WINDOW_DAYS
) -> EffectSummary:
    """The children's figures added together."""
    effects = list(effects)
    counted = {name: sum(1 for e in effects if e.change == name) for name in (LOWER, HIGHER, SAME, UNKNOWN)}
    return EffectSummary(
        start=start,
        today=today,
        window_days=window_days,
        after_days=after_days(start, today, window_days),
        children=len(effects),
        lower=counted[LOWER],
        higher=counted[HIGHER],
        same=counted[SAME],
        unknown=counted[UNKNOWN],
        missing_before=sum(e.missing_before for e in effects),
        missing_after=sum(e.missing_after for e in effects),
    )


def effects(start: date, today: date, children: dict, window_days: int = WINDOW_DAYS) -> list[ChildEffect]:
    """`children`: {child: (screenings, missing_starts)} -> one ChildEffect
    each, in the order given."""
    return [
        child_effect(child, start, today, screenings, starts, window_days)
        for child, (screenings, starts) in children.items()
    ]
