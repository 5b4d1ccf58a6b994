"""Timeliness: referrals screened within the service standard, and return
home interviews offered and held within 72 hours of the child's return.

Each counts the work, not children: a late screening is late however many
referrals the child has. A clock still running at `as_of` is left out: a
referral not yet due is neither on time nor late.
"""

import pandas as pd

from ..missing import RETURN_INTERVIEW_WINDOW
from .calculation import PROPORTION, calculation, units
from .frames import Records

# An interview is not needed (the child is in custody, say, or has moved).
INTERVIEW_NOT_NEEDED = "na"


@calculation(kind=PROPORTION, counts="referrals")
def screened_within_standard(records: Records) -> pd.DataFrame:
    """Of referrals whose screening clock has run out or stopped, those
    screened by the time the service standard set (`screen_by`)."""
    referrals = records.referrals.dropna(subset=["screen_by"])
    decided = referrals.loc[referrals["screened_at"].notna() | (referrals["screen_by"] < records.as_of)]
    on_time = decided["screened_at"].notna() & (decided["screened_at"] <= decided["screen_by"])
    return units(decided["submitted_at"], decided["person"], on_time)


@calculation(kind=PROPORTION, counts="returns")
def interview_offered_within_72_hours(records: Records) -> pd.DataFrame:
    """Of children's returns from a missing episode that needed a return home
    interview, those where one was offered within 72 hours."""
    return _within_window(records, "offered_at")


@calculation(kind=PROPORTION, counts="returns")
def interview_held_within_72_hours(records: Records) -> pd.DataFrame:
    """Of children's returns that needed a return home interview, those where
    one was held within 72 hours."""
    return _within_window(records, "held_at")


def _within_window(records: Records, moment: str) -> pd.DataFrame:
    returns = records.missing.dropna(subset=["ended_at"])
    returns = returns.loc[returns["interview_outcome"].fillna("") != INTERVIEW_NOT_NEEDED]
    due = returns["ended_at"] + RETURN_INTERVIEW_WINDOW
    in_time = returns[moment].notna() & (returns[moment] <= due)
    decided = in_time | (due < records.as_of)
    return units(returns.loc[decided, "ended_at"], returns.loc[decided, "person"], in_time[decided])
