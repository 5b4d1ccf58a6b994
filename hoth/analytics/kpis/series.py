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
SERIES_COLUMNS = ["period", "group", "units", "numerator", "value"]


def period_label(period: pd.Period) -> str:
    """'2026-04' for a month; '2026-27 Q1' for a financial quarter."""
    if period.freqstr.startswith("Q"):
        return f"{period.qyear - 1}-{str(period.qyear)[-2:]} Q{period.quarter}"
    return str(period)


def quarter_of(moment: pd.Timestamp) -> str:
    """The label of the financial quarter `moment` falls in."""
    return period_label(moment.to_period(QUARTERLY))


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
    span = periods(first, last, frequency)
    return aggregate(calculation, reduce(calculation, units, span, [by] if by else []), span, by, groups)


def reduce(calculation: Calculation, units: pd.DataFrame, span: pd.PeriodIndex, keep: list[str]) -> pd.DataFrame:
    """The units within `span`, each with its `period`; for a calculation
    that counts children, one per child per period (and per group of the
    record, for one grouped by it). For a proportion the child counts if any
    of their units does; otherwise their latest unit stands. The columns in
    `keep` (characteristics) are the child's at their latest unit, so that a
    breakdown's groups add up to the period's children."""
    found = units.loc[units["when"].between(span[0].start_time, span[-1].end_time)].copy()
    found["period"] = found["when"].dt.to_period(span.freq)
    if not calculation.per_child:
        return found
    each = ["period"] + (["group"] if calculation.grouped_by else [])
    found = found.sort_values("when")
    reduction = "max" if calculation.kind == PROPORTION else "last"
    aggregations = {"value": reduction} | {column: "last" for column in keep}
    return found.groupby(each + ["person"], observed=True, sort=False).agg(aggregations).reset_index()


def aggregate(
    calculation: Calculation,
    reduced: pd.DataFrame,
    span: pd.PeriodIndex,
    by: str | None = None,
    groups: list[str] | None = None,
) -> pd.DataFrame:
    """The series of `reduced` units (see `reduce`), by `by` if given, period
    by period with the groups in the same order in each. Counted with
    numpy's bincount over (period, group) codes: a snapshot aggregates each
    measure some twenty times, and pandas' groupby costs more to set up than
    to run at these sizes."""
    by = by or ("group" if calculation.grouped_by else None)
    if groups is None:
        groups = sorted(reduced[by].dropna().unique()) if by else [""]
    width = len(groups) if by else 1
    cells = span.get_indexer(reduced["period"]) * width
    if by:
        cells = cells + pd.Index(groups).get_indexer(reduced[by])
    values = reduced["value"].to_numpy(dtype="float64")
    counted = cells >= 0
    cells, values = cells[counted], values[counted]
    size = len(span) * width
    units = np.bincount(cells, minlength=size)
    sums = np.bincount(cells, weights=values, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = {
            PROPORTION: lambda: 100 * sums / units,
            COUNT: lambda: units.astype("float64"),
            MEAN: lambda: sums / units,
            MEDIAN: lambda: _medians(cells, values, size),
        }[calculation.kind]()
    labels = [period_label(period) for period in span]
    return pd.DataFrame(
        {
            "period": np.repeat(labels, width),
            "group": np.tile(groups, len(span)) if by else "",
            "units": units.astype("int64"),
            "numerator": sums
            if calculation.kind == PROPORTION
            else units.astype("float64")
            if calculation.kind == COUNT
            else np.nan,
            "value": value,
        }
    )[SERIES_COLUMNS]


def _medians(cells: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    found = pd.Series(values).groupby(cells).median()
    medians = np.full(size, np.nan)
    medians[found.index.to_numpy()] = found.to_numpy()
    return medians
