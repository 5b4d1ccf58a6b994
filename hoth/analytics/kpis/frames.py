"""The records the measures read, as frames with fixed columns.

Times are naive local time (Europe/London): a month is the month on the
partnership's calendar, so a referral at 00:30 on 1 April British Summer Time
belongs to April. `person` is the person key (see hoth.insight.loaders), never
a name or a reference.
"""

from dataclasses import dataclass, field, fields

import pandas as pd

# Column -> dtype, per frame. A loader must give exactly these.
COLUMNS: dict[str, dict[str, str]] = {
    # One row per child on the register with a referral, screening or case.
    "children": {
        "person": "int64",
        "date_of_birth": "datetime64[ns]",
        "sex": "object",
        "ethnicity": "object",
        "send_status": "object",
        "has_disability": "bool",
        "care_status": "object",
        "first_language": "object",
        "interpreter_needed": "bool",
        "town": "object",
    },
    # Submitted referrals about a child.
    "referrals": {
        "referral": "int64",
        "person": "int64",
        "submitted_at": "datetime64[ns]",
        "screen_by": "datetime64[ns]",
        "screened_at": "datetime64[ns]",
        "agency_type": "object",
    },
    # Completed screenings, with the level that stands.
    "screenings": {
        "screening": "int64",
        "person": "int64",
        "completed_at": "datetime64[ns]",
        "level": "object",
    },
    # Cases, open or closed.
    "cases": {
        "case": "int64",
        "person": "int64",
        "opened_at": "datetime64[ns]",
    },
    # Each closing of a case (a case reopened and closed again closed twice).
    "closures": {
        "case": "int64",
        "person": "int64",
        "opened_at": "datetime64[ns]",
        "closed_at": "datetime64[ns]",
        "reason": "object",
    },
    # Plan reviews: the child's own ratings and the practitioner's, 0 to 10.
    "reviews": {
        "case": "int64",
        "person": "int64",
        "held_on": "datetime64[ns]",
        "child_feels_safe": "float64",
        "child_wellbeing": "float64",
        "practitioner_rating": "float64",
        "school_attendance": "float64",
    },
    # Missing episodes with their return home interview, if one is recorded.
    "missing": {
        "episode": "int64",
        "person": "int64",
        "started_at": "datetime64[ns]",
        "ended_at": "datetime64[ns]",
        "interview_outcome": "object",
        "offered_at": "datetime64[ns]",
        "held_at": "datetime64[ns]",
    },
    # Disruption activities with their tactic's kind and the outcome recorded.
    "activities": {
        "activity": "int64",
        "tactic_kind": "object",
        "applied_on": "datetime64[ns]",
        "granted_on": "datetime64[ns]",
        "outcome": "object",
        "outcome_recorded_at": "datetime64[ns]",
    },
    # Breaches of orders and notices.
    "breaches": {
        "activity": "int64",
        "tactic_kind": "object",
        "occurred_on": "datetime64[ns]",
    },
    # Intelligence as received, and when it was graded.
    "reports": {
        "report": "int64",
        "submitted_at": "datetime64[ns]",
        "graded_at": "datetime64[ns]",
    },
    # Links decided by analysts.
    "links": {
        "link": "int64",
        "status": "object",
        "decided_at": "datetime64[ns]",
    },
    # Each agency invited to a confirmed meeting, and whether it came.
    "attendance": {
        "meeting": "int64",
        "starts_at": "datetime64[ns]",
        "agency_type": "object",
        "present": "bool",
    },
    # What each agency brought to a confirmed meeting's items.
    "contributions": {
        "meeting": "int64",
        "starts_at": "datetime64[ns]",
        "agency_type": "object",
    },
    # Decisions to share information, or not, and their lawful basis.
    "sharing": {
        "decision": "int64",
        "decided_at": "datetime64[ns]",
        "lawful_basis": "object",
    },
    # Actions agreed at meetings (as tasks), by the owner's agency type.
    "actions": {
        "task": "int64",
        "agency_type": "object",
        "due_on": "datetime64[ns]",
        "completed_at": "datetime64[ns]",
    },
}


def empty(name: str) -> pd.DataFrame:
    return frame(name, [])


def frame(name: str, rows: list[tuple] | list[dict]) -> pd.DataFrame:
    """A frame of `name` from rows in COLUMNS order (or dicts), with the
    declared dtypes; missing times and numbers become NaT and NaN."""
    columns = COLUMNS[name]
    data = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else pd.DataFrame(columns=list(columns))
    return data.astype(columns)


@dataclass
class Records:
    """Everything a calculation may read, up to `as_of` (local time): a clock
    still running at `as_of` (a referral not yet due for screening, a child
    back less than 72 hours) is left out rather than counted as missed."""

    as_of: pd.Timestamp
    children: pd.DataFrame = field(default_factory=lambda: empty("children"))
    referrals: pd.DataFrame = field(default_factory=lambda: empty("referrals"))
    screenings: pd.DataFrame = field(default_factory=lambda: empty("screenings"))
    cases: pd.DataFrame = field(default_factory=lambda: empty("cases"))
    closures: pd.DataFrame = field(default_factory=lambda: empty("closures"))
    reviews: pd.DataFrame = field(default_factory=lambda: empty("reviews"))
    missing: pd.DataFrame = field(default_factory=lambda: empty("missing"))
    activities: pd.DataFrame = field(default_factory=lambda: empty("activities"))
    breaches: pd.DataFrame = field(default_factory=lambda: empty("breaches"))
    reports: pd.DataFrame = field(default_factory=lambda: empty("reports"))
    links: pd.DataFrame = field(default_factory=lambda: empty("links"))
    attendance: pd.DataFrame = field(default_factory=lambda: empty("attendance"))
    contributions: pd.DataFrame = field(default_factory=lambda: empty("contributions"))
    sharing: pd.DataFrame = field(default_factory=lambda: empty("sharing"))
    actions: pd.DataFrame = field(default_factory=lambda: empty("actions"))

    def __post_init__(self) -> None:
        for name in COLUMNS:
            given = getattr(self, name)
            if list(given.columns) != list(COLUMNS[name]):
                raise ValueError(f"{name} has columns {list(given.columns)}, not {list(COLUMNS[name])}")


FRAME_NAMES = tuple(f.name for f in fields(Records) if f.name != "as_of")
