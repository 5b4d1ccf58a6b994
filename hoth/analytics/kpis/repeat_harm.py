"""Repeat harm: children referred again soon after their case closed,
children repeatedly missing, and children screened High again after their
level came down."""

import pandas as pd

from ..missing import REPEAT_RULES
from .calculation import PROPORTION, calculation, units
from .frames import Records

RE_REFERRAL_WINDOW = pd.Timedelta(days=365)
LEVEL_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


@calculation(kind=PROPORTION, counts="children")
def re_referred_within_12_months(records: Records) -> pd.DataFrame:
    """Of children referred, those with a case that closed in the 12 months
    before the referral."""
    referrals = records.referrals.sort_values("submitted_at")
    closures = records.closures[["person", "closed_at"]].sort_values("closed_at")
    joined = pd.merge_asof(
        referrals,
        closures,
        left_on="submitted_at",
        right_on="closed_at",
        by="person",
        direction="backward",
        allow_exact_matches=False,
    )
    again = joined["closed_at"].notna() & (joined["submitted_at"] - joined["closed_at"] <= RE_REFERRAL_WINDOW)
    return units(joined["submitted_at"], joined["person"], again)


@calculation(kind=PROPORTION, counts="children")
def repeatedly_missing(records: Records) -> pd.DataFrame:
    """Of children who went missing, those repeatedly missing when an episode
    began (hoth.analytics.missing.REPEAT_RULES, the rule the child's record
    and the screening queue flag with, counting that episode)."""
    episodes = records.missing.sort_values(["person", "started_at"]).reset_index(drop=True)
    repeated = pd.Series(False, index=episodes.index)
    counted = episodes.assign(one=1.0).set_index("started_at")
    for rule in REPEAT_RULES:
        # Episodes that began in the `rule.days` up to and including this one;
        # of episodes beginning at the same moment, each sees all of them.
        within = pd.Series(
            counted.groupby("person")["one"].rolling(f"{rule.days}D", closed="both").sum().to_numpy(),
            index=episodes.index,
        )
        within = within.groupby([episodes["person"], episodes["started_at"]]).transform("max")
        repeated |= within >= rule.episodes
    return units(episodes["started_at"], episodes["person"], repeated)


@calculation(kind=PROPORTION, counts="children")
def high_again_after_stepping_down(records: Records) -> pd.DataFrame:
    """Of children re-screened after their level came down from High, those
    screened High again."""
    screenings = records.screenings.sort_values(["person", "completed_at", "screening"])
    rank = screenings["level"].map(LEVEL_RANK)
    high = (rank == LEVEL_RANK["high"]).astype("int64")
    highs_before = high.groupby(screenings["person"]).cumsum() - high
    previous = rank.groupby(screenings["person"]).shift()
    stepped_down = (highs_before > 0) & (previous < LEVEL_RANK["high"])
    found = screenings.loc[stepped_down]
    return units(found["completed_at"], found["person"], found["level"] == "high")
