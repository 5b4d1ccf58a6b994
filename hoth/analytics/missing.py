"""Missing episodes: the return home interview clock and the repeated-episodes
flag. Plain Python on datetimes; no Django, so that the queue, the child's
record and the KPI work all count the same way.

Statutory guidance on children who run away or go missing from home or care
(DfE 2014) asks that an independent return home interview is offered within
72 hours of the child's return. Repeated episodes are a significant-risk
indicator in published screening tools; the partnership's threshold is
written as rules (REPEAT_RULES) so it can be read, tested and changed in one
place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

RETURN_INTERVIEW_WINDOW = timedelta(hours=72)


@dataclass(frozen=True)
class RepeatRule:
    """`episodes` or more episodes starting within the last `days` days."""

    episodes: int
    days: int

    @property
    def description(self) -> str:
        return f"{self.episodes} or more episodes in {self.days} days"


# Shortest window first: two episodes in a month says more than three in a quarter.
REPEAT_RULES = (RepeatRule(episodes=2, days=30), RepeatRule(episodes=3, days=90))
# The longest window any rule looks back over: older episodes never count.
LOOK_BACK_DAYS = max(rule.days for rule in REPEAT_RULES)


@dataclass(frozen=True)
class RepeatFlag:
    rule: RepeatRule
    count: int

    @property
    def description(self) -> str:
        return f"{self.count} missing episodes in the last {self.rule.days} days"


def repeated_episodes(
    starts: Iterable[datetime], now: datetime, rules: Iterable[RepeatRule] = REPEAT_RULES
) -> RepeatFlag | None:
    """The first rule the episodes meet, with how many episodes counted, or
    None when the child is not repeatedly missing.

    `starts` are when each episode began. An episode counts for a rule when it
    began within `rule.days` before `now`; a start after `now` (recorded
    wrongly, or a clock ahead) never counts, so a flag cannot be raised by the
    future.
    """
    starts = [s for s in starts if s <= now]
    for rule in rules:
        since = now - timedelta(days=rule.days)
        count = sum(1 for s in starts if s >= since)
        if count >= rule.episodes:
            return RepeatFlag(rule, count)
    return None


# How a return home interview stands; the words are those on the tag.
STILL_MISSING = "still_missing"
DUE = "due"
OVERDUE = "overdue"
OFFERED_IN_TIME = "offered_in_time"
OFFERED_LATE = "offered_late"
NOT_NEEDED = "not_needed"

LABELS = {
    STILL_MISSING: "Still missing",
    DUE: "Due",
    OVERDUE: "Overdue",
    OFFERED_IN_TIME: "Offered in time",
    OFFERED_LATE: "Offered late",
    NOT_NEEDED: "Not applicable",
}


@dataclass(frozen=True)
class InterviewClock:
    status: str
    due_by: datetime | None
    # Until the deadline (negative once it has passed); None when no clock runs.
    time_left: timedelta | None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE

    @property
    def is_running(self) -> bool:
        """The interview is still to be offered and the child is back."""
        return self.status in (DUE, OVERDUE)


def interview_clock(
    returned_at: datetime | None, *, offered_at: datetime | None = None, not_applicable: bool = False, now: datetime
) -> InterviewClock:
    """Where the 72-hour clock stands for one episode at `now`.

    No clock runs while the child is still missing. Once an offer is recorded
    the clock stops, and says whether the offer was in time; an interview
    judged not applicable stops it too.
    """
    if returned_at is None:
        return InterviewClock(STILL_MISSING, None, None)
    due_by = returned_at + RETURN_INTERVIEW_WINDOW
    if not_applicable:
        return InterviewClock(NOT_NEEDED, due_by, None)
    if offered_at is not None:
        return InterviewClock(OFFERED_IN_TIME if offered_at <= due_by else OFFERED_LATE, due_by, None)
    return InterviewClock(OVERDUE if now > due_by else DUE, due_by, due_by - now)
