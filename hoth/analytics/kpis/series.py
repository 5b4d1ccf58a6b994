"""Units into one figure per period: the monthly and quarterly series.

Quarters are the financial year's (April to June is Q1), as councils and the
safeguarding partnership's annual report count them. Every period from the
first to the last asked for is listed, with zeros: a month without a referral
is a figure too, and disclosure control needs every cell to protect totals.
"""

import numpy as np
import pandas as pd

from .calculation import COUNT, MEAN, MEDIAN, PROPORTION, Calculation

MONTHLY, QUARTERLY = "M", "Q-MAR"
FREQUENCIES = {"monthly": MONTHLY, "quarterly": QUARTERLY}
SERIES_COLUMNS = ["period", "group", "units", "numerator", "value"]


def period_label(period: pd.Period) -> str:
    """'2026-04' for a month; '2026-27 Q1' for a financial quarter."""
    if period.freqstr.startswith("Q"):
        return f"{period.qyear - 1}-{str(period.qyear)[-2:]} Q{period.quarter}"
    return str(period)


def periods(first: pd.Timestamp, last: pd.Timestamp, frequency: str) -> pd.PeriodIndex:
    return pd.period_range(first.to_period(frequency), last.to_period(frequency), freq=frequency)


def summarise(
    calculation: Calculation,
    units: pd.DataFrame,
    first: pd.Timestamp,
    last: pd.Timestamp,
    frequency: str = MONTHLY,
    by: str | None = None,
    groups: list[str] | None = None,
) -> pd.DataFrame:
    """One row per period (and per group of `by`, a column of `units`) from
    `first` to `last`: `units` counted (children, referrals…), `numerator`
    (the units whose value is 1, for a proportion; the count, for a count) and
    `value` (the percentage, median, mean or count; NaN where nothing was
    counted). `groups` lists every group to show, zeros included."""
    by = by or ("group" if calculation.grouped_by else None)
    keys = ["period"] + ([by] if by else [])
    span = periods(first, last, frequency)
    found = units.loc[units["when"].between(span[0].start_time, span[-1].end_time)].copy()
    found["period"] = found["when"].dt.to_period(frequency)
    if calculation.per_child:
        # One unit per child per period: for a proportion the child counts if
        # any of their units does; otherwise their latest unit stands.
        found = found.sort_values("when")
        reduce = "max" if calculation.kind == PROPORTION else "last"
        found = found.groupby(keys + ["person"], observed=True)["value"].agg(reduce).reset_index()
    grouped = found.groupby(keys, observed=True)["value"]
    figures = pd.DataFrame({"units": grouped.size()})
    if calculation.kind in (PROPORTION, COUNT):
        figures["numerator"] = grouped.sum() if calculation.kind == PROPORTION else figures["units"]
    else:
        figures["numerator"] = np.nan
    figures["value"] = {
        PROPORTION: lambda: 100 * figures["numerator"] / figures["units"],
        COUNT: lambda: figures["units"].astype("float64"),
        MEDIAN: grouped.median,
        MEAN: grouped.mean,
    }[calculation.kind]()
    index = _full_index(span, by, groups if groups is not None else sorted(found[by].dropna().unique()) if by else None)
    figures = figures.reindex(index)
    figures["units"] = figures["units"].fillna(0).astype("int64")
    if calculation.kind in (PROPORTION, COUNT):
        figures["numerator"] = figures["numerator"].fillna(0)
    if calculation.kind == COUNT:
        figures["value"] = figures["value"].fillna(0)
    result = figures.reset_index().rename(columns={by: "group"} if by else {})
    if not by:
        result["group"] = ""
    result["period"] = result["period"].map(period_label)
    return result[SERIES_COLUMNS]


def _full_index(span: pd.PeriodIndex, by: str | None, groups: list | None) -> pd.Index:
    if not by:
        return pd.Index(span, name="period")
    return pd.MultiIndex.from_product([span, groups or []], names=["period", by])
