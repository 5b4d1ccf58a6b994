"""Prevention and early identification: are children found before harm is
significant, and who finds them."""

import pandas as pd

from .calculation import COUNT, MEDIAN, PROPORTION, calculation, units
from .frames import Records

IDENTIFIED_LEVELS = ("low", "medium", "high")
# Agency types whose referrals count as education's: schools and colleges,
# and early years settings.
EDUCATION = ("education", "early_years")


@calculation(kind=PROPORTION, counts="children")
def first_identified_below_high(records: Records) -> pd.DataFrame:
    """Of children first identified (their first screening at Low, Medium or
    High), those first identified at Low or Medium."""
    identified = records.screenings.loc[records.screenings["level"].isin(IDENTIFIED_LEVELS)]
    first = identified.sort_values(["completed_at", "screening"]).drop_duplicates("person")
    return units(first["completed_at"], first["person"], first["level"] != "high")


@calculation(kind=COUNT, counts="children")
def children_screened_high(records: Records) -> pd.DataFrame:
    """Children with a screening at High (significant) completed in the
    period: set against the child population, who is most at risk."""
    high = records.screenings.loc[records.screenings["level"] == "high"]
    return units(high["completed_at"], high["person"], 1.0)


@calculation(kind=MEDIAN, counts="children")
def age_at_first_referral(records: Records) -> pd.DataFrame:
    """The child's age in years, to the day, when the first referral about
    them was submitted; children without a date of birth are left out."""
    first = records.referrals.sort_values(["submitted_at", "referral"]).drop_duplicates("person")
    born = first.merge(records.children[["person", "date_of_birth"]], on="person").dropna(subset=["date_of_birth"])
    return units(born["submitted_at"], born["person"], _years_between(born["date_of_birth"], born["submitted_at"]))


@calculation(kind=COUNT, counts="children", grouped_by="agency type")
def children_referred_by_agency_type(records: Records) -> pd.DataFrame:
    """Children referred, by the type of the agency that referred them (a
    child referred by a school and by the police in one month counts once
    under each)."""
    referrals = records.referrals
    return units(referrals["submitted_at"], referrals["person"], 1.0, group=referrals["agency_type"])


@calculation(kind=PROPORTION, counts="children")
def referred_by_education(records: Records) -> pd.DataFrame:
    """Of children referred, those referred by a school, college or early
    years setting."""
    referrals = records.referrals
    return units(referrals["submitted_at"], referrals["person"], referrals["agency_type"].isin(EDUCATION))


def _years_between(born: pd.Series, on: pd.Series) -> pd.Series:
    """Whole years of age, as a birthday counts them."""
    years = on.dt.year - born.dt.year
    before_birthday = (on.dt.month < born.dt.month) | ((on.dt.month == born.dt.month) & (on.dt.day < born.dt.day))
    return years - before_birthday.astype("int64")
