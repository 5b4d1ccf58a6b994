"""Well-being and safety: how children's own ratings, their missing episodes,
their school attendance and their level change while their case is open, and
how cases close."""

import numpy as np
import pandas as pd

from .calculation import COUNT, MEAN, PROPORTION, calculation, units
from .frames import Records
from .repeat_harm import LEVEL_RANK

WINDOW = pd.Timedelta(days=90)


@calculation(kind=MEAN, counts="children")
def change_in_feeling_safe(records: Records) -> pd.DataFrame:
    """The change in the child's own rating of how safe they feel (0 to 10)
    from their case's first review to each later one."""
    return _change_since_first_review(records, "child_feels_safe")


@calculation(kind=MEAN, counts="children")
def change_in_wellbeing(records: Records) -> pd.DataFrame:
    """The change in the child's own rating of their well-being (0 to 10)
    from their case's first review to each later one."""
    return _change_since_first_review(records, "child_wellbeing")


@calculation(kind=MEAN, counts="children")
def change_in_practitioner_rating(records: Records) -> pd.DataFrame:
    """The change in the practitioner's rating of the child's safety (0 to
    10) from their case's first review to each later one."""
    return _change_since_first_review(records, "practitioner_rating")


@calculation(kind=MEAN, counts="children")
def change_in_school_attendance(records: Records) -> pd.DataFrame:
    """The change in the child's school attendance (percentage points) from
    their case's first review to each later one."""
    return _change_since_first_review(records, "school_attendance")


@calculation(kind=MEAN, counts="children")
def change_in_missing_episodes(records: Records) -> pd.DataFrame:
    """Missing episodes in the 90 days up to a review, less those in the 90
    days before the case opened; reviews held at least 90 days after opening,
    so that the two windows never overlap."""
    reviews = records.reviews.merge(records.cases[["case", "opened_at"]], on="case")
    reviews = reviews.loc[reviews["held_on"] - reviews["opened_at"] >= WINDOW]
    episodes = records.missing
    before = _count_in_windows(episodes, reviews["person"], reviews["opened_at"] - WINDOW, reviews["opened_at"])
    latest = _count_in_windows(episodes, reviews["person"], reviews["held_on"] - WINDOW, reviews["held_on"])
    return units(reviews["held_on"], reviews["person"], pd.Series(latest - before))


@calculation(kind=PROPORTION, counts="children")
def lower_level_at_closure(records: Records) -> pd.DataFrame:
    """Of children whose case closed, those whose level at closure (their
    latest screening by then) was lower than when the case opened (their
    latest screening by the opening)."""
    closed = records.closures
    levels = records.screenings[["person", "completed_at", "level"]].sort_values("completed_at")
    at_opening = _level_at(closed.sort_values("opened_at"), levels, "opened_at")
    both = _level_at(at_opening.sort_values("closed_at"), levels, "closed_at")
    both = both.dropna(subset=["level_at_opened_at", "level_at_closed_at"])
    lower = both["level_at_closed_at"].map(LEVEL_RANK) < both["level_at_opened_at"].map(LEVEL_RANK)
    return units(both["closed_at"], both["person"], lower)


@calculation(kind=COUNT, counts="children", grouped_by="reason for closing")
def cases_closed_by_reason(records: Records) -> pd.DataFrame:
    """Children whose case closed, by the reason it closed."""
    closed = records.closures
    return units(closed["closed_at"], closed["person"], 1.0, group=closed["reason"].replace("", None).fillna("other"))


def _change_since_first_review(records: Records, rating: str) -> pd.DataFrame:
    rated = records.reviews.dropna(subset=[rating]).sort_values(["case", "held_on"])
    first = rated.groupby("case")[rating].transform("first")
    later = rated["held_on"] > rated.groupby("case")["held_on"].transform("first")
    return units(rated.loc[later, "held_on"], rated.loc[later, "person"], (rated[rating] - first)[later])


def _level_at(cases: pd.DataFrame, levels: pd.DataFrame, moment: str) -> pd.DataFrame:
    """`cases` (sorted by `moment`) with `level_at_<moment>`: the level of the
    child's latest screening completed by then."""
    joined = pd.merge_asof(
        cases, levels.rename(columns={"completed_at": moment}), on=moment, by="person", direction="backward"
    )
    return joined.rename(columns={"level": f"level_at_{moment}"})


def _count_in_windows(episodes: pd.DataFrame, person: pd.Series, start: pd.Series, end: pd.Series) -> np.ndarray:
    """For each (person, start, end), how many of the person's episodes
    began at or after `start` and before `end`. One sorted key of person and
    time, searched twice: no loop over children."""
    keys = np.sort(_key(episodes["person"], episodes["started_at"]))
    low = np.searchsorted(keys, _key(person, start), side="left")
    high = np.searchsorted(keys, _key(person, end), side="left")
    return high - low


def _key(person: pd.Series, moment: pd.Series) -> np.ndarray:
    # Seconds since 1970 stay under 10**10 until the year 2286.
    seconds = moment.to_numpy().astype("datetime64[s]").astype("int64")
    return person.to_numpy().astype("int64") * 10**10 + seconds
