"""Pursuing and disrupting people and places of harm: disruption by kind of
tactic and its outcome, civil orders through the courts, intelligence graded
in time, and links accepted."""

import pandas as pd

from .calculation import COUNT, PROPORTION, calculation, units
from .frames import Records

CIVIL_ORDER = "civil_order"
GRADING_WINDOW = pd.Timedelta(days=7)


@calculation(kind=COUNT, counts="activities", grouped_by="kind of tactic")
def disruption_by_tactic_kind(records: Records) -> pd.DataFrame:
    """Disruption activities that took effect (an order granted, a notice
    issued, a patrol started), by the kind of tactic."""
    started = records.activities.dropna(subset=["granted_on"])
    return units(started["granted_on"], None, 1.0, group=started["tactic_kind"])


@calculation(kind=COUNT, counts="activities", grouped_by="outcome")
def disruption_outcomes(records: Records) -> pd.DataFrame:
    """Disruption activities whose outcome was recorded, by the outcome."""
    assessed = records.activities.loc[records.activities["outcome"].fillna("") != ""]
    return units(assessed["outcome_recorded_at"], None, 1.0, group=assessed["outcome"])


@calculation(kind=COUNT, counts="civil orders", grouped_by="stage")
def civil_orders(records: Records) -> pd.DataFrame:
    """Civil orders applied for, granted and breached."""
    orders = records.activities.loc[records.activities["tactic_kind"] == CIVIL_ORDER]
    breaches = records.breaches.loc[records.breaches["tactic_kind"] == CIVIL_ORDER]
    stages = [
        (orders["applied_on"].dropna(), "applied for"),
        (orders["granted_on"].dropna(), "granted"),
        (breaches["occurred_on"], "breached"),
    ]
    return pd.concat(
        [units(when, None, 1.0, group=pd.Series([stage] * len(when))) for when, stage in stages], ignore_index=True
    )


@calculation(kind=PROPORTION, counts="reports")
def intelligence_graded_within_a_week(records: Records) -> pd.DataFrame:
    """Of intelligence reports received, those graded within 7 days; a report
    received less than 7 days before is left out until graded."""
    reports = records.reports
    due = reports["submitted_at"] + GRADING_WINDOW
    in_time = reports["graded_at"].notna() & (reports["graded_at"] <= due)
    decided = in_time | (due < records.as_of)
    return units(reports.loc[decided, "submitted_at"], None, in_time[decided])


@calculation(kind=COUNT, counts="links")
def links_accepted(records: Records) -> pd.DataFrame:
    """Links between subjects an analyst accepted and graded."""
    accepted = records.links.loc[(records.links["status"] == "accepted") & records.links["decided_at"].notna()]
    return units(accepted["decided_at"], None, 1.0)
