"""Who the children counted are: each unit with the characteristics of its
child, for the equality breakdowns. Values are the register's codes ("WB",
"send_support"); the pages name them. A child whose characteristic is not
recorded is in the group NOT_KNOWN, never left out, so that the groups of a
breakdown always add up to the children counted."""

import pandas as pd

from .frames import COLUMNS

NOT_KNOWN = "not known"
# Whole years of age on the day of the unit (a referral, a screening).
AGE_BANDS = ((0, "under 10"), (10, "10 to 12"), (13, "13 to 15"), (16, "16 to 17"), (18, "18 and over"))
# The characteristics a child-level measure can be broken down by, in the
# order the dashboard offers them.
DIMENSIONS = (
    "sex",
    "ethnicity",
    "age_band",
    "send_status",
    "has_disability",
    "care_status",
    "first_language",
    "interpreter_needed",
    "town",
)
CHILD_COLUMNS = [column for column in COLUMNS["children"] if column not in ("person", "date_of_birth")]


def with_characteristics(units: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """`units` with one column per dimension, as text."""
    joined = units.merge(children, on="person", how="left")
    for column in CHILD_COLUMNS:
        joined[column] = _as_text(joined[column])
    joined["age_band"] = age_band(joined["date_of_birth"], joined["when"])
    return joined.drop(columns=["date_of_birth"])


def age_band(born: pd.Series, on: pd.Series) -> pd.Series:
    years = (
        on.dt.year
        - born.dt.year
        - ((on.dt.month < born.dt.month) | ((on.dt.month == born.dt.month) & (on.dt.day < born.dt.day)))
    )
    bands = pd.Series(NOT_KNOWN, index=born.index, dtype="object")
    for lowest, label in AGE_BANDS:
        bands[years >= lowest] = label
    return bands


def groups(dimension: str, characteristics: pd.DataFrame) -> list[str]:
    """Every group of `dimension` among the children, in a fixed order, with
    NOT_KNOWN last: groups with nobody in a period are listed as zeros."""
    if dimension == "age_band":
        return [label for _, label in AGE_BANDS] + [NOT_KNOWN]
    found = sorted(set(characteristics[dimension].dropna()) - {NOT_KNOWN})
    return found + [NOT_KNOWN]


def _as_text(values: pd.Series) -> pd.Series:
    text = values.map(
        lambda v: (
            NOT_KNOWN if v is None or v != v or v == "" else ("yes" if v is True else "no" if v is False else str(v))
        )
    )
    return text.astype("object")
